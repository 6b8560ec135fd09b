/*
 * The smallest useful nerq host: score the nerq.signals documents named on the command line and
 * print each report as nerq_render writes it (human text, or --format markdown|sarif|html|json).
 * Build: cc nerq_score_example.c $(pkg-config --cflags --libs nerq)
 */
#include <nerq.h>

#include <stdio.h>
#include <string.h>

/* The message of an {"error": ...} document (borrowed). */
static const char *message_of(const json_t *doc) {
    return json_string_value(json_object_get(json_object_get(doc, "error"), "message"));
}

int main(int argc, char **argv) {
    if (NERQ_ABI_VERSION != nerq_abi_version()) {
        fprintf(stderr, "libnerq ABI %d does not match nerq.h ABI %d\n", nerq_abi_version(), NERQ_ABI_VERSION);
        return 2;
    }
    const char *format = "human";
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "--format") == 0) {
        format = argv[2];
        first = 3;
    }
    json_t *error = NULL;
    nerq_engine *engine = nerq_engine_new(NULL, &error);
    if (!engine) {
        fprintf(stderr, "nerq: %s\n", message_of(error));
        json_decref(error);
        return 2;
    }
    json_t *options = json_pack("{s:s}", "format", format);
    int status = 0;
    for (int i = first; i < argc; i++) {
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
            json_t *render_error = NULL;
            char *text = nerq_render(report, options, &render_error); /* every value escaped for the format */
            if (text) {
                fputs(text, stdout);
            } else {
                fprintf(stderr, "%s: %s\n", argv[i], message_of(render_error));
                status = 2;
            }
            nerq_free(text);
            json_decref(render_error);
        }
        json_decref(report);
        json_decref(signals);
    }
    json_decref(options);
    nerq_engine_free(engine);
    return status;
}
