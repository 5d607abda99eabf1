#include <curl/curl.h>

// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: one typed wrapper per kind of
// argument.

static inline CURLcode corerecon_curl_set_string(CURL *curl, CURLoption option, const char *value) {
    return curl_easy_setopt(curl, option, value);
}

static inline CURLcode corerecon_curl_set_long(CURL *curl, CURLoption option, long value) {
    return curl_easy_setopt(curl, option, value);
}

static inline CURLcode corerecon_curl_set_list(CURL *curl, CURLoption option, struct curl_slist *list) {
    return curl_easy_setopt(curl, option, list);
}

typedef size_t (*corerecon_curl_read_function)(char *buffer, size_t size, size_t count, void *context);

static inline CURLcode corerecon_curl_set_reader(CURL *curl, corerecon_curl_read_function function, void *context) {
    CURLcode code = curl_easy_setopt(curl, CURLOPT_READFUNCTION, function);
    if (code != CURLE_OK) return code;
    return curl_easy_setopt(curl, CURLOPT_READDATA, context);
}

static inline CURLcode corerecon_curl_set_error_buffer(CURL *curl, char *buffer) {
    return curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, buffer);
}

static inline long corerecon_curl_response_code(CURL *curl) {
    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    return code;
}
