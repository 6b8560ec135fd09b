/*
 * The smallest useful nerq host: score the nerq.signals documents named on the command line and
 * print one line each. Build: cc nerq_score_example.c $(pkg-config --cflags --libs nerq)
 */
#include <nerq.h>

#include <stdio.h>

int main(int argc, char **argv) {
    if (NERQ_ABI_VERSION != nerq_abi_version()) {
        fprintf(stderr, "libnerq ABI %d does not match nerq.h ABI %d\n", nerq_abi_version(), NERQ_ABI_VERSION);
        return 2;
    }
    json_t *error = NULL;
    nerq_engine *engine = nerq_engine_new(NULL, &error);
    if (!engine) {
        fprintf(stderr, "nerq: %s\n", json_string_value(json_object_get(json_object_get(error, "error"), "message")));
        json_decref(error);
        return 2;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        json_error_t jerr;
        json_t *signals = json_load_file(argv[i], 0, &jerr);
        if (!signals) {
            fprintf(stderr, "%s:%d:%d: %s\n", argv[i], jerr.line, jerr.column, jerr.text);
            status = 2;
            continue;
        }
        json_t *report = nerq_score(engine, signals);
        json_t *err = json_object_get(report, "error");
        if (err) {
            fprintf(stderr, "%s: %s at %s\n", argv[i], json_string_value(json_object_get(err, "message")),
                    json_string_value(json_object_get(err, "path")));
            status = 2;
        } else {
            json_t *verdict = json_object_get(report, "verdict");
            printf("%s\n", json_string_value(json_object_get(verdict, "summary")));
            json_t *finding;
            size_t k;
            json_array_foreach(json_object_get(report, "findings"), k, finding) {
                printf("  [%s] %s\n", json_string_value(json_object_get(finding, "severity")),
                       json_string_value(json_object_get(finding, "message")));
            }
        }
        json_decref(report);
        json_decref(signals);
    }
    nerq_engine_free(engine);
    return status;
}
