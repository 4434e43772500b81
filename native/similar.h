/* similar.h: the similar-baskets index inside the scorer (not public API).
 *
 * The store's recent baskets (oldest first) and their transpose, per item the
 * recent baskets holding it (ascending). For a query basket q (distinct items),
 * the candidates are the union of each query item's newest m baskets, m = M for
 * up to 10 query items and M * 10 / |q| (at least 1) beyond (a budget of 10 M
 * postings a call); each scores sim(b) = o(b) * (1 / sqrt |b|) *
 * (1 / sqrt |q|), multiplied in that order, where the overlap o(b) is |q n b|,
 * or with idf the sum of idf(a) = ln(n / df(a)) over the shared items a (added
 * in query order; df(a) = the recent baskets holding a; a basket whose o(b) is 0
 * is no candidate); the S best by (sim descending,
 * then the newer basket first) are the neighbours, returned in ascending
 * basket order (the order the scorer adds their votes in). docs/scoring.md,
 * "Similar baskets"; the plain-Python twin is in tests/oracles/engine_reference.py. */
#ifndef POS_SIMILAR_H
#define POS_SIMILAR_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int64_t n;            /* recent baskets */
    int64_t *offsets;     /* [n + 1] */
    int32_t *items;       /* [offsets[n]] */
    int64_t *post_offsets;/* [n_items + 1] */
    int32_t *post;        /* [offsets[n]] basket numbers, ascending per item */
    double *inv_sqrt_size;/* [n] 1 / sqrt |b| */
    double *idf;          /* [n_items] ln(n / df(a)); 0 for an item in no recent basket */
} similar_index;

#define SIMILAR_ITEMS_AT_M 10   /* query items read at M postings each; more share 10 M */

typedef struct {
    uint32_t epoch;
    uint64_t *seen;       /* [n] epoch << 32 | |q n b|: touched this query, and the overlap */
    double *weight;       /* [n] the idf overlap of the baskets touched this query */
    int32_t *touched;     /* [n] */
    struct similar_pick { double sim; int32_t basket; } *pick;   /* [n] */
} similar_scratch;

typedef struct similar_pick similar_pick;

/* Validates and copies the CSR (n < 2^31, items in [0, n_items), each basket
 * ascending without repeats) and builds the transpose. *bytes grows by what it
 * holds. POS_EINVAL / POS_ENOMEM. */
int similar_build(similar_index *x, int32_t n_items, int64_t n, const int64_t *offsets,
                  const int32_t *items, size_t *bytes);
void similar_free(similar_index *x);

int similar_scratch_init(similar_scratch *s, const similar_index *x, size_t *bytes);
void similar_scratch_free(similar_scratch *s);

/* The neighbours of q[0..nq) (distinct items): into s->pick[0..*n_out), in
 * ascending basket order; with idf != 0 the overlap weighs each shared item
 * by its idf. */
void similar_query(const similar_index *x, similar_scratch *s, const int32_t *q, int32_t nq,
                   int32_t m, int32_t k, int idf, size_t *n_out);

#endif
