#ifndef PCAA_CCURL_SHIM_H
#define PCAA_CCURL_SHIM_H
#include <curl/curl.h>

/*
 * Swift cannot call the variadic curl_easy_setopt / curl_easy_getinfo.
 * These typed, non-variadic wrappers forward to them (same pattern as
 * GRDB's GRDBSQLite shim). Each returns the CURLcode of the underlying call.
 */

/// Header callback prototype (same shape as the write callback).
typedef size_t (*pcaa_curl_header_callback)(char *buffer, size_t size, size_t nitems, void *userdata);

/// curl_global_init(CURL_GLOBAL_ALL); CURL_GLOBAL_ALL is a macro expression.
static inline CURLcode pcaa_curl_global_init_all(void) {
    return curl_global_init(CURL_GLOBAL_ALL);
}

/// Size of the buffer expected by CURLOPT_ERRORBUFFER.
static inline size_t pcaa_curl_error_size(void) {
    return CURL_ERROR_SIZE;
}

static inline CURLcode pcaa_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode pcaa_curl_setopt_str(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode pcaa_curl_setopt_ptr(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode pcaa_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode pcaa_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode pcaa_curl_setopt_write_callback(CURL *handle, curl_write_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}

static inline CURLcode pcaa_curl_setopt_read_callback(CURL *handle, curl_read_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_READFUNCTION, callback);
}

static inline CURLcode pcaa_curl_setopt_header_callback(CURL *handle, pcaa_curl_header_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback);
}

static inline CURLcode pcaa_curl_setopt_xferinfo_callback(CURL *handle, curl_xferinfo_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

/// CURLOPT_USE_SSL = CURLUSESSL_ALL: the SMTP session must be TLS (STARTTLS on smtp://), or the transfer fails.
static inline CURLcode pcaa_curl_setopt_require_tls(CURL *handle) {
    return curl_easy_setopt(handle, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
}

/// CURLOPT_USE_SSL = CURLUSESSL_NONE: plain SMTP (explicitly configured loopback relays only).
static inline CURLcode pcaa_curl_setopt_no_tls(CURL *handle) {
    return curl_easy_setopt(handle, CURLOPT_USE_SSL, (long)CURLUSESSL_NONE);
}

/// CURLOPT_MAIL_RCPT: every envelope recipient (the list must outlive the transfer).
static inline CURLcode pcaa_curl_setopt_mail_rcpt(CURL *handle, struct curl_slist *recipients) {
    return curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, recipients);
}

static inline CURLcode pcaa_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode pcaa_curl_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode pcaa_curl_getinfo_str(CURL *handle, CURLINFO info, const char **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode pcaa_curl_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}

#endif
