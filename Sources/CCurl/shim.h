/* libcurl (Debian's libcurl4-openssl-dev) for NerqFetch, opened on first use rather than linked.
 *
 * Why not linked: most processes that load libnerq.so never fetch, and libcurl brings ~25 more
 * libraries (TLS, Kerberos, LDAP, IDN, SSH...) that the dynamic loader would map and bind every
 * time: about 6 ms of the ~14 ms it took to load libnerq.so, paid by every `cargo nerq` run. Opened
 * here (dlopen of its soname, libcurl.so.4, whose ABI is stable) the first time a fetch starts; a
 * machine without libcurl can do everything but fetch, which then fails with "libcurl could not
 * start" instead of libnerq.so failing to load at all.
 *
 * curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: one typed wrapper
 * per argument type instead. Static inline and not named nerq_*, so nothing here is exported from
 * libnerq.so; the table is per translation unit (only NerqFetch/HTTP.swift includes this). */
#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

struct ccurl_api {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    void (*easy_reset)(CURL *);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    CURLcode (*easy_perform)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    CURLHcode (*easy_header)(CURL *, const char *, size_t, unsigned int, int, struct curl_header **);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    CURLU *(*url)(void);
    void (*url_cleanup)(CURLU *);
    CURLUcode (*url_set)(CURLU *, CURLUPart, const char *, unsigned int);
    CURLUcode (*url_get)(const CURLU *, CURLUPart, char **, unsigned int);
    void (*free)(void *);
};

/* The state, as function-local statics: Swift emits a header's inline functions (with their local
 * statics) but not its file-scope static variables. Written once, under the pthread_once. */
static inline struct ccurl_api *ccurl_table(void) {
    static struct ccurl_api table;
    return &table;
}
static inline int *ccurl_loaded(void) {
    static int loaded;
    return &loaded;
}
static inline pthread_once_t *ccurl_once(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    return &once;
}

static inline void ccurl_open(void) {
    void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!h) return;
    struct ccurl_api a;
#define CCURL_SYM(field, name) \
    if (!(*(void **)&a.field = dlsym(h, name))) { dlclose(h); return; }
    CCURL_SYM(global_init, "curl_global_init")
    CCURL_SYM(easy_init, "curl_easy_init")
    CCURL_SYM(easy_cleanup, "curl_easy_cleanup")
    CCURL_SYM(easy_reset, "curl_easy_reset")
    CCURL_SYM(easy_setopt, "curl_easy_setopt")
    CCURL_SYM(easy_getinfo, "curl_easy_getinfo")
    CCURL_SYM(easy_perform, "curl_easy_perform")
    CCURL_SYM(easy_strerror, "curl_easy_strerror")
    CCURL_SYM(easy_header, "curl_easy_header")
    CCURL_SYM(slist_append, "curl_slist_append")
    CCURL_SYM(slist_free_all, "curl_slist_free_all")
    CCURL_SYM(url, "curl_url")
    CCURL_SYM(url_cleanup, "curl_url_cleanup")
    CCURL_SYM(url_set, "curl_url_set")
    CCURL_SYM(url_get, "curl_url_get")
    CCURL_SYM(free, "curl_free")
#undef CCURL_SYM
    /* Never closed: libcurl keeps global state (its global init) for the life of the process. */
    *ccurl_table() = a;
    *ccurl_loaded() = 1;
}

/* The table, or NULL when libcurl cannot be opened (then nothing else here is called). */
static inline const struct ccurl_api *ccurl_api(void) {
    pthread_once(ccurl_once(), ccurl_open);
    return *ccurl_loaded() ? ccurl_table() : NULL;
}

static inline CURLcode ccurl_global_init(long flags) {
    const struct ccurl_api *a = ccurl_api();
    return a ? a->global_init(flags) : CURLE_FAILED_INIT;
}
static inline CURL *ccurl_easy_init(void) {
    const struct ccurl_api *a = ccurl_api();
    return a ? a->easy_init() : NULL;
}
/* The rest are called only with a handle from ccurl_easy_init or a URL from ccurl_url, so the
 * table is there; each still checks, so that a misuse is an error code and not a crash. */
static inline void ccurl_easy_cleanup(CURL *h) { const struct ccurl_api *a = ccurl_api(); if (a) a->easy_cleanup(h); }
static inline void ccurl_easy_reset(CURL *h) { const struct ccurl_api *a = ccurl_api(); if (a) a->easy_reset(h); }
static inline CURLcode ccurl_easy_perform(CURL *h) {
    const struct ccurl_api *a = ccurl_api();
    return a ? a->easy_perform(h) : CURLE_FAILED_INIT;
}
static inline const char *ccurl_easy_strerror(CURLcode c) {
    const struct ccurl_api *a = ccurl_api();
    return a ? a->easy_strerror(c) : "libcurl is not available";
}
static inline CURLHcode ccurl_easy_header(CURL *h, const char *name, size_t index, unsigned int origin, int request,
                                          struct curl_header **out) {
    const struct ccurl_api *a = ccurl_api();
    return a ? a->easy_header(h, name, index, origin, request, out) : CURLHE_NOT_BUILT_IN;
}
static inline struct curl_slist *ccurl_slist_append(struct curl_slist *l, const char *s) {
    const struct ccurl_api *a = ccurl_api();
    return a ? a->slist_append(l, s) : NULL;
}
static inline void ccurl_slist_free_all(struct curl_slist *l) { const struct ccurl_api *a = ccurl_api(); if (a) a->slist_free_all(l); }
static inline CURLU *ccurl_url(void) { const struct ccurl_api *a = ccurl_api(); return a ? a->url() : NULL; }
static inline void ccurl_url_cleanup(CURLU *u) { const struct ccurl_api *a = ccurl_api(); if (a) a->url_cleanup(u); }
static inline CURLUcode ccurl_url_set(CURLU *u, CURLUPart p, const char *s, unsigned int f) {
    const struct ccurl_api *a = ccurl_api();
    return a ? a->url_set(u, p, s, f) : CURLUE_OUT_OF_MEMORY;
}
static inline CURLUcode ccurl_url_get(CURLU *u, CURLUPart p, char **out, unsigned int f) {
    const struct ccurl_api *a = ccurl_api();
    return a ? a->url_get(u, p, out, f) : CURLUE_OUT_OF_MEMORY;
}
static inline void ccurl_free(void *p) { const struct ccurl_api *a = ccurl_api(); if (a) a->free(p); }

static inline CURLcode ccurl_setopt_long(CURL *h, CURLoption o, long v) {
    const struct ccurl_api *a = ccurl_api();
    return a ? a->easy_setopt(h, o, v) : CURLE_FAILED_INIT;
}
static inline CURLcode ccurl_setopt_off(CURL *h, CURLoption o, curl_off_t v) {
    const struct ccurl_api *a = ccurl_api();
    return a ? a->easy_setopt(h, o, v) : CURLE_FAILED_INIT;
}
static inline CURLcode ccurl_setopt_string(CURL *h, CURLoption o, const char *v) {
    const struct ccurl_api *a = ccurl_api();
    return a ? a->easy_setopt(h, o, v) : CURLE_FAILED_INIT;
}
static inline CURLcode ccurl_setopt_pointer(CURL *h, CURLoption o, void *v) {
    const struct ccurl_api *a = ccurl_api();
    return a ? a->easy_setopt(h, o, v) : CURLE_FAILED_INIT;
}
static inline CURLcode ccurl_setopt_write(CURL *h, CURLoption o, curl_write_callback f) {
    const struct ccurl_api *a = ccurl_api();
    return a ? a->easy_setopt(h, o, f) : CURLE_FAILED_INIT;
}
static inline CURLcode ccurl_setopt_xferinfo(CURL *h, curl_xferinfo_callback f) {
    const struct ccurl_api *a = ccurl_api();
    return a ? a->easy_setopt(h, CURLOPT_XFERINFOFUNCTION, f) : CURLE_FAILED_INIT;
}
static inline CURLcode ccurl_getinfo_long(CURL *h, CURLINFO i, long *v) {
    const struct ccurl_api *a = ccurl_api();
    return a ? a->easy_getinfo(h, i, v) : CURLE_FAILED_INIT;
}
static inline CURLcode ccurl_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) {
    const struct ccurl_api *a = ccurl_api();
    return a ? a->easy_getinfo(h, i, v) : CURLE_FAILED_INIT;
}

/* CURL_GLOBAL_DEFAULT is a macro expression Swift does not import. */
static const long ccurl_global_default = CURL_GLOBAL_DEFAULT;

/* curl_easy_header's origin bit for ordinary response headers (CURLH_HEADER is a macro). */
static const unsigned int ccurl_header_origin = CURLH_HEADER;
