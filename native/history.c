/* history.c: per-customer purchase history (item, baskets, last time) from baskets. */
#include "pos_core.h"

#include <stdlib.h>
#include <string.h>

struct pos_history {
    int32_t n_customers;
    int64_t n_entries;
    int64_t *offsets;            /* n_customers + 1 */
    pos_customer_item *entries;  /* n_entries */
};

typedef struct {
    int32_t item;
    int32_t unused;
    int64_t time;
} sighting;

static int by_item(const void *a, const void *b)
{
    int32_t x = ((const sighting *)a)->item, y = ((const sighting *)b)->item;
    return (x > y) - (x < y);
}

void pos_history_free(pos_history *h)
{
    if (!h)
        return;
    free(h->offsets);
    free(h->entries);
    free(h);
}

static int validate(int64_t n_baskets, const int64_t *offsets, const int32_t *items,
                    const int32_t *customers, int32_t n_customers)
{
    if (n_baskets < 0 || n_customers < 0 || !offsets || !customers || (n_baskets && !items))
        return POS_EINVAL;
    if (offsets[0] != 0)
        return POS_EINVAL;
    for (int64_t b = 0; b < n_baskets; b++) {
        if (offsets[b + 1] < offsets[b])
            return POS_EINVAL;
        if (customers[b] < -1 || customers[b] >= n_customers)
            return POS_EINVAL;
    }
    for (int64_t i = 0; i < offsets[n_baskets]; i++)
        if (items[i] < 0)
            return POS_EINVAL;
    return POS_OK;
}

int pos_history_new(int64_t n_baskets, const int64_t *offsets, const int32_t *items,
                    const int64_t *times, const int32_t *customers, int32_t n_customers,
                    pos_history **out)
{
    if (!out)
        return POS_EINVAL;
    *out = NULL;
    int status = validate(n_baskets, offsets, items, customers, n_customers);
    if (status != POS_OK)
        return status;

    pos_history *h = calloc(1, sizeof *h);
    int64_t *start = calloc((size_t)n_customers + 1, sizeof *start);
    if (!h || !start) {
        free(start);
        pos_history_free(h);
        return POS_ENOMEM;
    }
    /* counting sort of every (item, time) a customer was seen with, by customer */
    for (int64_t b = 0; b < n_baskets; b++)
        if (customers[b] >= 0)
            start[customers[b] + 1] += offsets[b + 1] - offsets[b];
    for (int32_t c = 0; c < n_customers; c++)
        start[c + 1] += start[c];
    int64_t n_seen = start[n_customers];
    sighting *seen = malloc((size_t)(n_seen ? n_seen : 1) * sizeof *seen);
    int64_t *fill = malloc(((size_t)n_customers + 1) * sizeof *fill);
    h->offsets = calloc((size_t)n_customers + 1, sizeof *h->offsets);
    h->entries = malloc((size_t)(n_seen ? n_seen : 1) * sizeof *h->entries);
    if (!seen || !fill || !h->offsets || !h->entries) {
        free(seen);
        free(fill);
        free(start);
        pos_history_free(h);
        return POS_ENOMEM;
    }
    memcpy(fill, start, ((size_t)n_customers + 1) * sizeof *fill);
    for (int64_t b = 0; b < n_baskets; b++) {
        int32_t c = customers[b];
        if (c < 0)
            continue;
        int64_t when = times ? times[b] : 0;
        for (int64_t i = offsets[b]; i < offsets[b + 1]; i++) {
            sighting *s = &seen[fill[c]++];
            s->item = items[i];
            s->unused = 0;
            s->time = when;
        }
    }
    /* per customer: sort by item, then one entry per run (a basket holds an
     * item once, so the run length is the number of baskets) */
    int64_t n = 0;
    for (int32_t c = 0; c < n_customers; c++) {
        sighting *first = seen + start[c];
        int64_t count = start[c + 1] - start[c];
        qsort(first, (size_t)count, sizeof *first, by_item);
        for (int64_t i = 0; i < count;) {
            pos_customer_item *e = &h->entries[n++];
            e->item = first[i].item;
            e->baskets = 0;
            e->last_time = first[i].time;
            for (; i < count && first[i].item == e->item; i++) {
                if (e->baskets == UINT32_MAX) {
                    free(seen);
                    free(fill);
                    free(start);
                    pos_history_free(h);
                    return POS_EOVERFLOW;
                }
                e->baskets++;
                if (first[i].time > e->last_time)
                    e->last_time = first[i].time;
            }
        }
        h->offsets[c + 1] = n;
    }
    free(seen);
    free(fill);
    free(start);
    h->n_customers = n_customers;
    h->n_entries = n;
    *out = h;
    return POS_OK;
}

int pos_history_size(const pos_history *h, int64_t *n_entries)
{
    if (!h || !n_entries)
        return POS_EINVAL;
    *n_entries = h->n_entries;
    return POS_OK;
}

int pos_history_get(const pos_history *h, int64_t *offsets, pos_customer_item *entries)
{
    if (!h || !offsets || (h->n_entries && !entries))
        return POS_EINVAL;
    memcpy(offsets, h->offsets, ((size_t)h->n_customers + 1) * sizeof *offsets);
    if (h->n_entries)
        memcpy(entries, h->entries, (size_t)h->n_entries * sizeof *entries);
    return POS_OK;
}
