/*
 * newsarchive_bm25(PACKEDFACTORS(), spec, len_1, ..., len_F): the BM25 of a row as the
 * tantivy engine scores it, for Sphinx 2.2.11's searchd (a UDF; index.sphinx.udf builds
 * and installs it, index.sphinx.ranking says why it exists).
 *
 * It reads only what is right in every chunk of a real-time index: the tf of each query
 * word in each field (the packed factors' field_tf table) and each field's length (the
 * <field>_len attributes passed as arguments). IDF, average field lengths, k1 and b come
 * in `spec`, written by the engine from its own collection-wide statistics:
 *
 *     "k1 b scale F (field boost average)*F M idf_1 ... idf_M"
 *
 * field: the field's number in the index schema; idf_q: of query word q (1-based). The
 * result is round(scale * sum over fields and words of boost idf tf / (tf + K)),
 * K = k1 (1 - b + b length / average), computed in double precision.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* searchd 2.2.11 loads only libraries reporting its UDF interface version */
#define UDF_VERSION 8
#define TYPE_UINT32 1
#define TYPE_INT64 3
#define TYPE_FLOAT 4
#define TYPE_STRING 5
#define TYPE_FACTORS 7
#define MAX_FIELDS 64
#define FIELD_WORDS 14 /* words of a matched field's factors after its hit_count */

typedef struct {
    int arg_count;
    int *arg_types;
    char **arg_values;
    char **arg_names;
    int *str_lengths;
    void *(*fn_malloc)(int);
} Args;

typedef struct {
    void *func_data;
    char is_const;
} Init;

typedef struct {
    char *text; /* the spec it was parsed from */
    const char *source; /* where searchd passed it (the same for every row of a query) */
    int length;
    double k1, b, scale;
    int fields;
    int field[MAX_FIELDS];
    double boost[MAX_FIELDS], average[MAX_FIELDS];
    int words;
    double *idf; /* idf[q], q = 1..words */
} Spec;

int newsarchive_bm25_ver(void) { return UDF_VERSION; }

static void spec_free(Spec *spec) {
    if (spec) {
        free(spec->text);
        free(spec->idf);
        free(spec);
    }
}

static Spec *spec_parse(const char *text, int length) {
    Spec *spec = calloc(1, sizeof(Spec));
    char *end, *at;
    int i;
    if (!spec)
        return NULL;
    spec->text = malloc(length + 1);
    if (!spec->text) {
        spec_free(spec);
        return NULL;
    }
    memcpy(spec->text, text, length);
    spec->text[length] = 0;
    spec->length = length;
    at = spec->text;
    spec->k1 = strtod(at, &end); at = end;
    spec->b = strtod(at, &end); at = end;
    spec->scale = strtod(at, &end); at = end;
    spec->fields = (int)strtol(at, &end, 10); at = end;
    if (spec->fields < 0 || spec->fields > MAX_FIELDS) {
        spec_free(spec);
        return NULL;
    }
    for (i = 0; i < spec->fields; i++) {
        spec->field[i] = (int)strtol(at, &end, 10); at = end;
        spec->boost[i] = strtod(at, &end); at = end;
        spec->average[i] = strtod(at, &end); at = end;
    }
    spec->words = (int)strtol(at, &end, 10); at = end;
    if (spec->words < 0) {
        spec_free(spec);
        return NULL;
    }
    spec->idf = calloc(spec->words + 1, sizeof(double));
    if (!spec->idf) {
        spec_free(spec);
        return NULL;
    }
    for (i = 1; i <= spec->words; i++) {
        spec->idf[i] = strtod(at, &end); at = end;
    }
    return spec;
}

static double number(const Args *args, int i) {
    switch (args->arg_types[i]) {
    case TYPE_UINT32: return (double)*(const unsigned int *)args->arg_values[i];
    case TYPE_INT64: return (double)*(const long long *)args->arg_values[i];
    case TYPE_FLOAT: return (double)*(const float *)args->arg_values[i];
    default: return 0.0;
    }
}

int newsarchive_bm25_init(Init *init, Args *args, char *error) {
    int i;
    if (args->arg_count < 2 || args->arg_types[0] != TYPE_FACTORS
        || args->arg_types[1] != TYPE_STRING) {
        strcpy(error, "newsarchive_bm25(PACKEDFACTORS(), 'spec', lengths...)");
        return 1;
    }
    for (i = 2; i < args->arg_count; i++)
        if (args->arg_types[i] != TYPE_UINT32 && args->arg_types[i] != TYPE_INT64
            && args->arg_types[i] != TYPE_FLOAT) {
            strcpy(error, "newsarchive_bm25: field lengths must be numbers");
            return 1;
        }
    init->func_data = NULL;
    return 0;
}

void newsarchive_bm25_deinit(Init *init) { spec_free((Spec *)init->func_data); }

long long newsarchive_bm25(Init *init, Args *args, char *error_flag) {
    const unsigned int *blob = (const unsigned int *)args->arg_values[0];
    const unsigned int *at = blob;
    const char *text = args->arg_values[1];
    int length = args->str_lengths[1];
    Spec *spec = (Spec *)init->func_data;
    int fields, words, cells, i, q;
    const int *tf;
    double score = 0.0;

    if (!spec || spec->length != length
        || (spec->source != text && memcmp(spec->text, text, length) != 0)) {
        spec_free(spec);
        spec = spec_parse(text, length);
        init->func_data = spec;
        if (spec)
            spec->source = text;
        if (!spec || spec->fields != args->arg_count - 2) {
            *error_flag = 1;
            return 0;
        }
    }
    if (!blob)
        return 0;
    /* document factors: size, bm25, bm25a, matched fields, word count, fields */
    fields = (int)at[5];
    at += 6;
    at += 2 * ((fields + 31) / 32); /* the exact_hit and exact_order masks */
    for (i = 0; i < fields; i++)
        at += *at ? 1 + FIELD_WORDS : 1;
    words = (int)*at++;
    for (q = 0; q < words; q++)
        at += *at ? 4 : 1; /* keyword mask, then id, tf, idf */
    cells = (int)*at++;
    tf = (const int *)at;
    /* a layout this library does not know: score nothing rather than read astray */
    if (cells != fields * (words + 1) || (at + cells - blob) * 4 != blob[0]) {
        *error_flag = 1;
        return 0;
    }
    for (i = 0; i < spec->fields; i++) {
        int field = spec->field[i];
        double k = spec->k1;
        if (field < 0 || field >= fields)
            continue;
        if (spec->average[i] > 0)
            k = spec->k1 * (1 - spec->b + spec->b * number(args, i + 2) / spec->average[i]);
        for (q = 1; q <= words && q <= spec->words; q++) {
            int count = tf[field * (words + 1) + q];
            if (count > 0)
                score += spec->boost[i] * spec->idf[q] * count / (count + k);
        }
    }
    return (long long)floor(score * spec->scale + 0.5);
}
