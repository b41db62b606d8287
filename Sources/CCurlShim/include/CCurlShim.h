#ifndef CCURL_SHIM_H
#define CCURL_SHIM_H
// Non-variadic wrappers around curl_easy_setopt / curl_easy_getinfo, which
// Swift cannot call directly because they are C variadic functions.
#include <curl/curl.h>

CURLcode ccurl_setopt_long(CURL *h, CURLoption opt, long value);
CURLcode ccurl_setopt_string(CURL *h, CURLoption opt, const char *value);
CURLcode ccurl_setopt_pointer(CURL *h, CURLoption opt, void *value);
CURLcode ccurl_setopt_off(CURL *h, CURLoption opt, curl_off_t value);
CURLcode ccurl_setopt_blob(CURL *h, CURLoption opt, void *data, size_t len);

typedef size_t (*ccurl_data_cb)(char *ptr, size_t size, size_t nmemb, void *userdata);
CURLcode ccurl_setopt_write_function(CURL *h, ccurl_data_cb cb);
CURLcode ccurl_setopt_header_function(CURL *h, ccurl_data_cb cb);
CURLcode ccurl_setopt_read_function(CURL *h, ccurl_data_cb cb);

// Progress callback: libcurl calls it about once a second even on an idle connection,
// which is what lets a caller cancel a quiet watch stream.
typedef int (*ccurl_xferinfo_cb)(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
                                 curl_off_t ultotal, curl_off_t ulnow);
CURLcode ccurl_setopt_xferinfo_function(CURL *h, ccurl_xferinfo_cb cb);

CURLcode ccurl_getinfo_long(CURL *h, CURLINFO info, long *out);
CURLcode ccurl_getinfo_double(CURL *h, CURLINFO info, double *out);
CURLcode ccurl_getinfo_off(CURL *h, CURLINFO info, curl_off_t *out);

#endif
