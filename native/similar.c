/* similar.c: the similar-baskets index and its query (see similar.h). */
#include "similar.h"
#include "pos_core.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void similar_free(similar_index *x)
{
    free(x->offsets);
    free(x->items);
    free(x->post_offsets);
    free(x->post);
    free(x->inv_sqrt_size);
    free(x->idf);
    memset(x, 0, sizeof *x);
}

int similar_build(similar_index *x, int32_t n_items, int64_t n, const int64_t *offsets,
                  const int32_t *items, size_t *bytes)
{
    memset(x, 0, sizeof *x);
    if (n < 0 || n >= INT32_MAX || (n && (!offsets || offsets[0] != 0)))
        return POS_EINVAL;
    if (n == 0)
        return POS_OK;
    for (int64_t b = 0; b < n; b++) {
        if (offsets[b + 1] < offsets[b])
            return POS_EINVAL;
        for (int64_t j = offsets[b]; j < offsets[b + 1]; j++)
            if (items[j] < 0 || items[j] >= n_items || (j > offsets[b] && items[j] <= items[j - 1]))
                return POS_EINVAL;
    }
    size_t lines = (size_t)offsets[n];
    x->n = n;
    x->offsets = malloc(((size_t)n + 1) * sizeof *x->offsets);
    x->items = malloc((lines ? lines : 1) * sizeof *x->items);
    x->post_offsets = calloc((size_t)n_items + 1, sizeof *x->post_offsets);
    x->post = malloc((lines ? lines : 1) * sizeof *x->post);
    x->inv_sqrt_size = malloc((size_t)n * sizeof *x->inv_sqrt_size);
    x->idf = malloc(((size_t)n_items ? (size_t)n_items : 1) * sizeof *x->idf);
    if (!x->offsets || !x->items || !x->post_offsets || !x->post || !x->inv_sqrt_size
        || !x->idf) {
        similar_free(x);
        return POS_ENOMEM;
    }
    memcpy(x->offsets, offsets, ((size_t)n + 1) * sizeof *x->offsets);
    memcpy(x->items, items, lines * sizeof *x->items);
    for (int64_t b = 0; b < n; b++) {
        int64_t size = offsets[b + 1] - offsets[b];
        x->inv_sqrt_size[b] = size ? 1.0 / sqrt((double)size) : 0.0;
    }
    for (size_t j = 0; j < lines; j++)
        x->post_offsets[items[j] + 1]++;
    for (int32_t i = 0; i < n_items; i++) {
        int64_t df = x->post_offsets[i + 1];   /* still the count of item i */
        x->idf[i] = df ? log((double)n / (double)df) : 0.0;
        x->post_offsets[i + 1] += x->post_offsets[i];
    }
    int64_t *fill = malloc(((size_t)n_items + 1) * sizeof *fill);
    if (!fill) {
        similar_free(x);
        return POS_ENOMEM;
    }
    memcpy(fill, x->post_offsets, ((size_t)n_items + 1) * sizeof *fill);
    for (int64_t b = 0; b < n; b++)   /* ascending b: each posting list ascends */
        for (int64_t j = offsets[b]; j < offsets[b + 1]; j++)
            x->post[fill[items[j]]++] = (int32_t)b;
    free(fill);
    *bytes += ((size_t)n + 1) * sizeof *x->offsets + 2 * lines * sizeof(int32_t)
              + (size_t)n * sizeof *x->inv_sqrt_size + (size_t)n_items * sizeof *x->idf
              + ((size_t)n_items + 1) * sizeof *x->post_offsets;
    return POS_OK;
}

void similar_scratch_free(similar_scratch *s)
{
    free(s->seen);
    free(s->weight);
    free(s->touched);
    free(s->pick);
    memset(s, 0, sizeof *s);
}

int similar_scratch_init(similar_scratch *s, const similar_index *x, size_t *bytes)
{
    memset(s, 0, sizeof *s);
    size_t n = x->n ? (size_t)x->n : 1;
    s->seen = calloc(n, sizeof *s->seen);
    s->weight = malloc(n * sizeof *s->weight);
    s->touched = malloc(n * sizeof *s->touched);
    s->pick = malloc(n * sizeof *s->pick);
    if (!s->seen || !s->weight || !s->touched || !s->pick) {
        similar_scratch_free(s);
        return POS_ENOMEM;
    }
    *bytes += n * (sizeof *s->seen + sizeof *s->weight + sizeof *s->touched + sizeof *s->pick);
    return POS_OK;
}

/* x ranks before y: more similar, then the newer basket. */
static inline int better(const similar_pick *x, const similar_pick *y)
{
    return x->sim > y->sim || (x->sim == y->sim && x->basket > y->basket);
}

static inline void swap_pick(similar_pick *a, similar_pick *b)
{
    similar_pick t = *a;
    *a = *b;
    *b = t;
}

/* Reorders v[0..n) so that its k best (by `better`) come first, in any order. */
static void select_best(similar_pick *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n;   /* the k-th best is in v[lo..hi) */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;   /* median of three as the pivot, moved to lo */
        if (better(&v[mid], &v[lo]))
            swap_pick(&v[mid], &v[lo]);
        if (better(&v[hi - 1], &v[lo]))
            swap_pick(&v[hi - 1], &v[lo]);
        if (better(&v[hi - 1], &v[mid]))
            swap_pick(&v[hi - 1], &v[mid]);
        swap_pick(&v[lo], &v[mid]);        /* v[lo]: the median */
        similar_pick pivot = v[lo];
        size_t store = lo + 1;
        for (size_t i = lo + 1; i < hi; i++)
            if (better(&v[i], &pivot))
                swap_pick(&v[i], &v[store++]);
        swap_pick(&v[lo], &v[store - 1]);  /* the pivot at its rank: store - 1 */
        size_t p = store - 1;
        if (p == k - 1 || p == k)
            return;
        if (p > k)
            hi = p;
        else
            lo = p + 1;
    }
}

static int by_basket(const void *a, const void *b)
{
    int32_t x = ((const similar_pick *)a)->basket, y = ((const similar_pick *)b)->basket;
    return (x > y) - (x < y);
}

void similar_query(const similar_index *x, similar_scratch *s, const int32_t *q, int32_t nq,
                   int32_t m, int32_t k, int idf, size_t *n_out)
{
    *n_out = 0;
    if (x->n == 0 || nq <= 0 || m <= 0 || k <= 0)
        return;
    if (++s->epoch == 0) {
        memset(s->seen, 0, (size_t)x->n * sizeof *s->seen);
        s->epoch = 1;
    }
    const uint64_t ep = (uint64_t)s->epoch << 32;
    if (nq > SIMILAR_ITEMS_AT_M) {   /* the postings budget: 10 M a call */
        int64_t share = (int64_t)m * SIMILAR_ITEMS_AT_M / nq;
        m = share > 0 ? (int32_t)share : 1;
    }
    size_t nt = 0;
    for (int32_t i = 0; i < nq; i++) {
        int64_t lo = x->post_offsets[q[i]], hi = x->post_offsets[q[i] + 1];
        if (hi - lo > m)
            lo = hi - m;   /* its newest m */
        const double w = x->idf[q[i]];
        for (int64_t j = lo; j < hi; j++) {
            int32_t b = x->post[j];
            uint64_t v = s->seen[b];
            if ((v & ~(uint64_t)UINT32_MAX) != ep) {
                v = ep;
                s->touched[nt++] = b;
                s->weight[b] = 0;
            }
            s->seen[b] = v + 1;
            s->weight[b] += w;
        }
    }
    const double inv_sqrt_q = 1.0 / sqrt((double)nq);
    size_t n = 0;
    for (size_t t = 0; t < nt; t++) {
        int32_t b = s->touched[t];
        double overlap = idf ? s->weight[b] : (double)(uint32_t)s->seen[b];
        if (!(overlap > 0))
            continue;   /* shares only items every recent basket holds (idf 0) */
        s->pick[n].sim = overlap * x->inv_sqrt_size[b] * inv_sqrt_q;
        s->pick[n].basket = b;
        n++;
    }
    size_t keep = n < (size_t)k ? n : (size_t)k;
    if (keep < n)
        select_best(s->pick, n, keep);
    qsort(s->pick, keep, sizeof *s->pick, by_basket);
    *n_out = keep;
}
