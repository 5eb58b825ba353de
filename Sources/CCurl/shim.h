#ifndef MMETL_CCURL_SHIM_H
#define MMETL_CCURL_SHIM_H
#include <curl/curl.h>

/* curl_easy_setopt / curl_easy_getinfo are variadic: Swift cannot call them. Typed wrappers. */
static inline CURLcode mm_curl_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode mm_curl_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode mm_curl_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode mm_curl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
typedef size_t (*mm_curl_write_cb)(char *ptr, size_t size, size_t nmemb, void *userdata);
static inline CURLcode mm_curl_setopt_write_cb(CURL *h, CURLoption o, mm_curl_write_cb cb) { return curl_easy_setopt(h, o, cb); }
static inline CURLcode mm_curl_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode mm_curl_getinfo_double(CURL *h, CURLINFO i, double *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode mm_curl_getinfo_off_t(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
static inline long mm_curl_global_all(void) { return CURL_GLOBAL_ALL; }
/* CURLOPT_XFERINFOFUNCTION takes a differently typed callback (used to abort cancelled transfers). */
typedef int (*mm_curl_xferinfo_cb)(void *clientp, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow);
static inline CURLcode mm_curl_setopt_xferinfo_cb(CURL *h, mm_curl_xferinfo_cb cb) { return curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, cb); }
static inline int mm_curl_error_size(void) { return CURL_ERROR_SIZE; }
#endif
