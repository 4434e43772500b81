/* scorer.c: the suggestion engine. Ranks cross-sells, upsells and bundle
 * completions for a basket from the mined neighbour lists, the catalog's
 * upgrade ladders, bundles and rules. The formula: docs/scoring.md; its
 * plain-Python twin: pos/engine_reference.py (keep the two in step). */
#define _DEFAULT_SOURCE /* madvise */
#include "pos_core.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

/* A neighbour entry as the cross-sell sums read it: 8 bytes, eight to a cache
 * line. Of the other pos_neighbour fields the scorer keeps only the raw pair
 * count, in a parallel array (pos_engine.nb_count) read for the results; the
 * ranking score is dropped. */
typedef struct {
    int32_t item;
    float weight;
} nb_t;

/* Per item, what the first touch of a candidate needs, in one 16-byte line. */
typedef struct {
    double margin;      /* (price - cost) / price clamped to [0, 1]; 0 when cost unknown */
    int32_t category;
    uint8_t ok;         /* active, in stock, not age-restricted, priced > 0 */
} info_t;

/* Entries past the last list, so that prefetching ahead never reads outside. */
#define PREFETCH_AHEAD 16   /* entries: marks prefetched ahead in the sums */
#define NB_PAD PREFETCH_AHEAD
#define LIST_AHEAD 2        /* basket lines: lists prefetched ahead */

struct pos_engine {
    int32_t n_items, n_categories;
    size_t bytes;          /* what pos_engine_memory reports */
    int64_t *price, *cost;
    uint8_t *flags;
    int32_t *family, *tier, *category;
    uint32_t *count;
    double *weight;
    info_t *info;
    int32_t *category_parent;
    int64_t n_baskets;
    double total_weight;
    int64_t *nb_offsets;
    nb_t *nb;              /* nb_offsets[n_items] entries + NB_PAD */
    size_t nb_bytes;
    uint32_t *nb_count;    /* [nb_offsets[n_items]] the entries' raw pair counts */
    /* upgrade candidates per item (explicit first, then the family's next tier) */
    int64_t *up_offsets;   /* n_items + 1 */
    int32_t *up_items;
    int8_t *up_source;
    int32_t n_bundles;
    int64_t *bundle_offsets;
    int32_t *bundle_items, *bundle_qty;
    int64_t *bundle_saving, *bundle_from, *bundle_to;
    int32_t n_rules;
    int32_t *rule_trigger_item, *rule_trigger_category, *rule_item, *rule_kind, *rule_priority;
    double *rule_boost;
    int64_t *rule_from, *rule_to;
};

/* The scratch is split by how often it is touched. Per item (dense, random
 * access): `mark`, 16 bytes, the only per-item memory an accumulator update
 * reads; `bmark`, read for basket lines, exclusions, rules and bundles. Per
 * candidate touched this call (compact, in touch order): `acc`, the hot
 * accumulators of the cross-sell sums (24 bytes), and `cand`, the rest. A
 * candidate of the sums gets its `cand` record only when something needs it
 * (see rec): most of the thousands of them in a big basket never do, and
 * their score is their cross sum. */
typedef struct {
    uint32_t stamp;   /* touched this call: pos is valid */
    int32_t pos;      /* index into acc / cand / touched */
    double pcpow;     /* p_c^-beta for the cached K and beta; NaN = not computed */
} mark_t;

typedef struct {
    uint32_t bstamp;  /* in the basket this call */
    uint32_t xstamp;  /* declined or durable bought recently, this call */
    double qty;       /* quantity in the basket (valid when bstamp == epoch) */
} bmark_t;

typedef struct {
    double cross;     /* sum of rel(a -> c), then + personal */
    double top;       /* largest single contribution (for the anchor) */
    uint64_t from;    /* the entry of the largest contribution, FROM(line, j), or NO_FROM */
} acc_t;

/* acc_t.from: entry j of the list of basket line `line` (s->basket[line] is
 * the anchor, the entry's nb_count the pair count), packed into one word so
 * that the sums update it with one select. */
#define FROM(line, j) (((uint64_t)(uint32_t)(line) << 32) | (uint32_t)(j))
#define NO_FROM UINT64_MAX

typedef struct {
    double best;      /* best candidate's score before the multipliers */
    double mult;      /* campaign boosts */
    int64_t value;    /* price_or_step of the best candidate (mined: the price, at the end) */
    int32_t best_anchor, index;
    int8_t kind, source, personal, has;
    int8_t ok;        /* eligible; OK_UNKNOWN until needed (see resolve) */
} cand_info_t;

#define OK_UNKNOWN (-1)

/* A heap entry: exact = 0 while score is only an upper bound of the final score. */
typedef struct {
    double score;
    int32_t item;
    int32_t exact;
} cand_t;

/* Ranking takes the top k from the SEL_SPARE + SEL_PER_K * k best candidates
 * (by their heap score) instead of a heap of all of them, when that fits in
 * SEL_MAX; see take_top. */
#define SEL_MAX 64
#define SEL_SPARE 8
#define SEL_PER_K 2

struct pos_scratch {
    const pos_engine *engine;
    uint32_t epoch;
    double cache_k, cache_beta;
    mark_t *mark;        /* [n_items] */
    size_t mark_bytes;
    bmark_t *bmark;      /* [n_items] */
    acc_t *acc;          /* [n_items] by touch order */
    cand_info_t *cand;   /* [n_items] by touch order */
    uint32_t *rstamp;    /* [n_items] by touch order: cand[t] is valid this call */
    int32_t *touched;    /* [n_items] touch order -> item */
    int32_t *basket;     /* merged basket, first-occurrence order */
    cand_t *heap;
    cand_t sel[SEL_MAX]; /* the best few candidates (see take_top) */
    uint32_t *cstamp;    /* per category: in the basket (with ancestors) this call */
    uint32_t *sstamp;    /* per category: share accumulated this call */
    double *share;       /* per category: customer's purchases in it */
    size_t bytes;
};

/* ---- building ------------------------------------------------------------ */

/* The arrays read at random per call (the neighbour lists, the scratch's
 * per-item marks): on Linux, from 1 MiB up, fresh 2 MiB-aligned zeroed pages
 * marked for transparent huge pages before anything touches them, so that a
 * list or a mark rarely costs a TLB miss; elsewhere calloc. *size is rounded up
 * to what was allocated; free with big_free. */
static void *big_alloc(size_t *size)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const size_t huge = (size_t)2 << 20;
    if (*size >= huge / 2) {
        size_t rounded = (*size + huge - 1) / huge * huge;
        char *raw = mmap(NULL, rounded + huge, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (raw == MAP_FAILED)
            return NULL;
        char *p = (char *)(((uintptr_t)raw + huge - 1) & ~(uintptr_t)(huge - 1));
        if (p > raw)
            munmap(raw, (size_t)(p - raw));
        if (raw + huge > p)
            munmap(p + rounded, (size_t)(raw + huge - p));
        madvise(p, rounded, MADV_HUGEPAGE);
        *size = rounded;
        return p;
    }
#endif
    return calloc(*size ? *size : 1, 1);
}

static void big_free(void *p, size_t size)
{
    if (!p)
        return;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (size >= ((size_t)2 << 20) / 2) {
        munmap(p, size);
        return;
    }
#endif
    (void)size;
    free(p);
}

void pos_engine_free(pos_engine *e)
{
    if (!e)
        return;
    free(e->price); free(e->cost); free(e->flags); free(e->family); free(e->tier);
    free(e->category); free(e->count); free(e->weight); free(e->info); free(e->category_parent);
    free(e->nb_offsets); big_free(e->nb, e->nb_bytes); free(e->nb_count); free(e->up_offsets);
    free(e->up_items); free(e->up_source); free(e->bundle_offsets); free(e->bundle_items); free(e->bundle_qty);
    free(e->bundle_saving); free(e->bundle_from); free(e->bundle_to);
    free(e->rule_trigger_item); free(e->rule_trigger_category); free(e->rule_item);
    free(e->rule_kind); free(e->rule_priority); free(e->rule_boost); free(e->rule_from);
    free(e->rule_to);
    free(e);
}

/* n elements of size sz (a valid 1-byte allocation when n = 0), counted in *bytes. */
static void *alloc(size_t n, size_t sz, size_t *bytes, int *fail)
{
    size_t size = n ? n * sz : 1;
    void *p = malloc(size);
    if (!p) {
        *fail = 1;
        return NULL;
    }
    *bytes += size;
    return p;
}

/* A copy of n elements of size sz. */
static void *dup(const void *src, size_t n, size_t sz, size_t *bytes, int *fail)
{
    void *p = alloc(n, sz, bytes, fail);
    if (p && n && src)
        memcpy(p, src, n * sz);
    return p;
}

static int validate_data(const pos_engine_data *d)
{
    if (d->n_items < 0 || d->n_categories < 0 || d->n_upgrades < 0 || d->n_bundles < 0
        || d->n_rules < 0 || d->n_baskets < 0 || !isfinite(d->total_weight)
        || d->total_weight < 0)
        return POS_EINVAL;
    int32_t n = d->n_items;
    if (n && (!d->price || !d->cost || !d->flags || !d->family || !d->tier || !d->category
              || !d->count || !d->weight))
        return POS_EINVAL;
    if (!d->nb_offsets || (d->n_categories && !d->category_parent))
        return POS_EINVAL;
    for (int32_t c = 0; c < d->n_categories; c++)
        if (d->category_parent[c] < -1 || d->category_parent[c] >= c)
            return POS_EINVAL;
    for (int32_t i = 0; i < n; i++) {
        if (d->price[i] < 0 || d->cost[i] < -1 || d->family[i] < -1
            || d->category[i] < -1 || d->category[i] >= d->n_categories
            || !isfinite(d->weight[i]) || d->weight[i] < 0)
            return POS_EINVAL;
    }
    if (d->nb_offsets[0] != 0)
        return POS_EINVAL;
    for (int32_t i = 0; i < n; i++)   /* lists of up to 2^32 - 1 entries (see FROM) */
        if (d->nb_offsets[i + 1] < d->nb_offsets[i]
            || d->nb_offsets[i + 1] - d->nb_offsets[i] > (int64_t)UINT32_MAX)
            return POS_EINVAL;
    int64_t total = d->nb_offsets[n];
    if (total && !d->nb_entries)
        return POS_EINVAL;
    for (int64_t j = 0; j < total; j++) {
        const pos_neighbour *x = &d->nb_entries[j];
        if (x->item < 0 || x->item >= n || !isfinite(x->weight) || x->weight < 0)
            return POS_EINVAL;
    }
    if (d->n_upgrades && (!d->upgrade_from || !d->upgrade_to))
        return POS_EINVAL;
    for (int32_t u = 0; u < d->n_upgrades; u++)
        if (d->upgrade_from[u] < 0 || d->upgrade_from[u] >= n || d->upgrade_to[u] < 0
            || d->upgrade_to[u] >= n)
            return POS_EINVAL;
    if (d->n_bundles && (!d->bundle_offsets || !d->bundle_saving || !d->bundle_from
                         || !d->bundle_to))
        return POS_EINVAL;
    if (d->n_bundles) {
        if (d->bundle_offsets[0] != 0)
            return POS_EINVAL;
        for (int32_t b = 0; b < d->n_bundles; b++)
            if (d->bundle_offsets[b + 1] < d->bundle_offsets[b])
                return POS_EINVAL;
        int64_t m = d->bundle_offsets[d->n_bundles];
        if (m && (!d->bundle_items || !d->bundle_qty))
            return POS_EINVAL;
        for (int64_t j = 0; j < m; j++)
            if (d->bundle_items[j] < 0 || d->bundle_items[j] >= n || d->bundle_qty[j] < 1)
                return POS_EINVAL;
    }
    if (d->n_rules && (!d->rule_trigger_item || !d->rule_trigger_category || !d->rule_item
                       || !d->rule_kind || !d->rule_priority || !d->rule_boost
                       || !d->rule_from || !d->rule_to))
        return POS_EINVAL;
    for (int32_t r = 0; r < d->n_rules; r++) {
        if (d->rule_trigger_item[r] < -1 || d->rule_trigger_item[r] >= n
            || d->rule_trigger_category[r] < -1 || d->rule_trigger_category[r] >= d->n_categories
            || d->rule_item[r] < 0 || d->rule_item[r] >= n
            || d->rule_kind[r] < 1 || d->rule_kind[r] > 3
            || !isfinite(d->rule_boost[r]) || d->rule_boost[r] <= 0)
            return POS_EINVAL;
    }
    return POS_OK;
}

typedef struct {
    int32_t family, tier, item;
} ladder_key;

static int by_family_tier(const void *a, const void *b)
{
    const ladder_key *x = a, *y = b;
    if (x->family != y->family)
        return (x->family > y->family) - (x->family < y->family);
    if (x->tier != y->tier)
        return (x->tier > y->tier) - (x->tier < y->tier);
    return (x->item > y->item) - (x->item < y->item);
}

/* Per item: explicit upgrades (in input order), then the items of the lowest
 * tier above it in its family (ascending item index). */
static int build_upgrades(pos_engine *e, const pos_engine_data *d)
{
    int32_t n = e->n_items;
    ladder_key *keys = malloc((size_t)(n ? n : 1) * sizeof *keys);
    int32_t *order = malloc((size_t)(n ? n : 1) * sizeof *order);
    int32_t *grp_lo = malloc((size_t)(n ? n : 1) * sizeof *grp_lo);  /* per item: next group [lo, hi) in order */
    int32_t *grp_hi = malloc((size_t)(n ? n : 1) * sizeof *grp_hi);
    e->up_offsets = calloc((size_t)n + 1, sizeof *e->up_offsets);
    if (!keys || !order || !grp_lo || !grp_hi || !e->up_offsets) {
        free(keys);
        free(order); free(grp_lo); free(grp_hi);
        return POS_ENOMEM;
    }
    int32_t m = 0;
    for (int32_t i = 0; i < n; i++)
        if (e->family[i] >= 0) {
            keys[m].family = e->family[i];
            keys[m].tier = e->tier[i];
            keys[m++].item = i;
        }
    qsort(keys, (size_t)m, sizeof *keys, by_family_tier);
    for (int32_t j = 0; j < m; j++)
        order[j] = keys[j].item;
    free(keys);
    for (int32_t i = 0; i < n; i++)
        grp_lo[i] = grp_hi[i] = 0;
    int32_t g = 0;
    while (g < m) {
        int32_t fam = e->family[order[g]], tier = e->tier[order[g]];
        int32_t h = g;
        while (h < m && e->family[order[h]] == fam && e->tier[order[h]] == tier)
            h++;
        int32_t lo = h, hi = h;
        if (h < m && e->family[order[h]] == fam) {
            int32_t t2 = e->tier[order[h]];
            while (hi < m && e->family[order[hi]] == fam && e->tier[order[hi]] == t2)
                hi++;
        }
        for (int32_t j = g; j < h; j++) {
            grp_lo[order[j]] = lo;
            grp_hi[order[j]] = hi;
        }
        g = h;
    }
    for (int32_t u = 0; u < d->n_upgrades; u++)
        e->up_offsets[d->upgrade_from[u] + 1]++;
    for (int32_t i = 0; i < n; i++)
        e->up_offsets[i + 1] += grp_hi[i] - grp_lo[i];
    for (int32_t i = 0; i < n; i++)
        e->up_offsets[i + 1] += e->up_offsets[i];
    int64_t total = e->up_offsets[n];
    e->up_items = malloc((size_t)(total ? total : 1) * sizeof *e->up_items);
    e->up_source = malloc((size_t)(total ? total : 1));
    int64_t *fill = malloc((size_t)(n ? n : 1) * sizeof *fill);
    if (!e->up_items || !e->up_source || !fill) {
        free(order); free(grp_lo); free(grp_hi); free(fill);
        return POS_ENOMEM;
    }
    for (int32_t i = 0; i < n; i++)
        fill[i] = e->up_offsets[i];
    for (int32_t u = 0; u < d->n_upgrades; u++) {
        int32_t a = d->upgrade_from[u];
        e->up_items[fill[a]] = d->upgrade_to[u];
        e->up_source[fill[a]++] = POS_SOURCE_UPGRADE;
    }
    for (int32_t i = 0; i < n; i++)
        for (int32_t j = grp_lo[i]; j < grp_hi[i]; j++) {
            e->up_items[fill[i]] = order[j];
            e->up_source[fill[i]++] = POS_SOURCE_LADDER;
        }
    free(order); free(grp_lo); free(grp_hi); free(fill);
    return POS_OK;
}

int pos_engine_new(const pos_engine_data *d, pos_engine **out)
{
    if (!out)
        return POS_EINVAL;
    *out = NULL;
    if (!d)
        return POS_EINVAL;
    int status = validate_data(d);
    if (status != POS_OK)
        return status;
    pos_engine *e = calloc(1, sizeof *e);
    if (!e)
        return POS_ENOMEM;
    int fail = 0;
    size_t *by = &e->bytes;
    *by = sizeof *e;
    size_t n = (size_t)d->n_items;
    e->n_items = d->n_items;
    e->n_categories = d->n_categories;
    e->price = dup(d->price, n, sizeof *e->price, by, &fail);
    e->cost = dup(d->cost, n, sizeof *e->cost, by, &fail);
    e->flags = dup(d->flags, n, 1, by, &fail);
    e->family = dup(d->family, n, sizeof *e->family, by, &fail);
    e->tier = dup(d->tier, n, sizeof *e->tier, by, &fail);
    e->category = dup(d->category, n, sizeof *e->category, by, &fail);
    e->count = dup(d->count, n, sizeof *e->count, by, &fail);
    e->weight = dup(d->weight, n, sizeof *e->weight, by, &fail);
    e->info = alloc(n, sizeof *e->info, by, &fail);
    e->category_parent = dup(d->category_parent, (size_t)d->n_categories,
                             sizeof *e->category_parent, by, &fail);
    e->n_baskets = d->n_baskets;
    e->total_weight = d->total_weight;
    e->nb_offsets = dup(d->nb_offsets, n + 1, sizeof *e->nb_offsets, by, &fail);
    size_t total = (size_t)d->nb_offsets[n];
    e->nb_bytes = (total + NB_PAD) * sizeof *e->nb;
    e->nb = big_alloc(&e->nb_bytes);
    fail |= !e->nb;
    *by += e->nb_bytes;
    e->nb_count = alloc(total, sizeof *e->nb_count, by, &fail);
    if (e->nb && e->nb_count) {
        for (size_t j = 0; j < total; j++) {
            e->nb[j].item = d->nb_entries[j].item;
            e->nb[j].weight = d->nb_entries[j].weight;
            e->nb_count[j] = d->nb_entries[j].count;
        }
        for (size_t j = total; j < total + NB_PAD; j++) {
            e->nb[j].item = 0;
            e->nb[j].weight = 0;
        }
    }
    if (e->info && !fail) {
        for (size_t i = 0; i < n; i++) {
            info_t *x = &e->info[i];
            uint8_t f = d->flags[i];
            double margin = 0;
            if (d->cost[i] >= 0 && d->price[i] > 0) {
                margin = (double)(d->price[i] - d->cost[i]) / (double)d->price[i];
                margin = margin < 0 ? 0 : margin > 1 ? 1 : margin;
            }
            memset(x, 0, sizeof *x);
            x->margin = margin;
            x->category = d->category[i];
            x->ok = (f & POS_ITEM_ACTIVE) && (f & POS_ITEM_IN_STOCK)
                    && !(f & POS_ITEM_AGE_RESTRICTED) && d->price[i] > 0;
        }
    }
    e->n_bundles = d->n_bundles;
    size_t nb = (size_t)d->n_bundles;
    size_t members = nb ? (size_t)d->bundle_offsets[nb] : 0;
    if (nb) {
        e->bundle_offsets = dup(d->bundle_offsets, nb + 1, sizeof(int64_t), by, &fail);
    } else {
        e->bundle_offsets = calloc(1, sizeof(int64_t));
        fail |= !e->bundle_offsets;
        *by += sizeof(int64_t);
    }
    e->bundle_items = dup(d->bundle_items, members, sizeof(int32_t), by, &fail);
    e->bundle_qty = dup(d->bundle_qty, members, sizeof(int32_t), by, &fail);
    e->bundle_saving = dup(d->bundle_saving, nb, sizeof(int64_t), by, &fail);
    e->bundle_from = dup(d->bundle_from, nb, sizeof(int64_t), by, &fail);
    e->bundle_to = dup(d->bundle_to, nb, sizeof(int64_t), by, &fail);
    e->n_rules = d->n_rules;
    size_t nr = (size_t)d->n_rules;
    e->rule_trigger_item = dup(d->rule_trigger_item, nr, sizeof(int32_t), by, &fail);
    e->rule_trigger_category = dup(d->rule_trigger_category, nr, sizeof(int32_t), by, &fail);
    e->rule_item = dup(d->rule_item, nr, sizeof(int32_t), by, &fail);
    e->rule_kind = dup(d->rule_kind, nr, sizeof(int32_t), by, &fail);
    e->rule_priority = dup(d->rule_priority, nr, sizeof(int32_t), by, &fail);
    e->rule_boost = dup(d->rule_boost, nr, sizeof(double), by, &fail);
    e->rule_from = dup(d->rule_from, nr, sizeof(int64_t), by, &fail);
    e->rule_to = dup(d->rule_to, nr, sizeof(int64_t), by, &fail);
    if (fail || (status = build_upgrades(e, d)) != POS_OK) {
        pos_engine_free(e);
        return fail ? POS_ENOMEM : status;
    }
    int64_t n_up = e->up_offsets[n];
    *by += (n + 1) * sizeof *e->up_offsets + (size_t)(n_up ? n_up : 1) * (sizeof(int32_t) + 1);
    *out = e;
    return POS_OK;
}

size_t pos_engine_memory(const pos_engine *e)
{
    return e ? e->bytes : 0;
}

void pos_scratch_free(pos_scratch *s)
{
    if (!s)
        return;
    big_free(s->mark, s->mark_bytes); free(s->bmark); free(s->acc); free(s->cand); free(s->rstamp);
    free(s->touched);
    free(s->basket); free(s->heap); free(s->cstamp); free(s->sstamp); free(s->share);
    free(s);
}

int pos_scratch_new(const pos_engine *e, pos_scratch **out)
{
    if (!out)
        return POS_EINVAL;
    *out = NULL;
    if (!e)
        return POS_EINVAL;
    pos_scratch *s = calloc(1, sizeof *s);
    if (!s)
        return POS_ENOMEM;
    size_t n = (size_t)e->n_items + 1, nc = (size_t)e->n_categories + 1;
    s->engine = e;
    s->mark_bytes = n * sizeof *s->mark;
    s->mark = big_alloc(&s->mark_bytes);
    s->bmark = calloc(n, sizeof *s->bmark);
    s->acc = malloc(n * sizeof *s->acc);
    s->cand = malloc(n * sizeof *s->cand);
    s->rstamp = calloc(n, sizeof *s->rstamp);
    s->touched = malloc(n * sizeof *s->touched);
    s->basket = malloc(n * sizeof *s->basket);
    s->heap = malloc(n * sizeof *s->heap);
    s->cstamp = calloc(nc, sizeof *s->cstamp);
    s->sstamp = calloc(nc, sizeof *s->sstamp);
    s->share = calloc(nc, sizeof *s->share);
    if (!s->mark || !s->bmark || !s->acc || !s->cand || !s->rstamp || !s->touched || !s->basket
        || !s->heap || !s->cstamp || !s->sstamp || !s->share) {
        pos_scratch_free(s);
        return POS_ENOMEM;
    }
    s->bytes = sizeof *s + s->mark_bytes + n * (sizeof *s->bmark + sizeof *s->acc
                                + sizeof *s->cand + sizeof *s->rstamp + sizeof *s->touched
                                + sizeof *s->basket + sizeof *s->heap)
               + nc * (2 * sizeof *s->cstamp + sizeof *s->share);
    s->cache_k = s->cache_beta = NAN;   /* the first call fills mark[].pcpow with NaN */
    *out = s;
    return POS_OK;
}

size_t pos_scratch_memory(const pos_scratch *s)
{
    return s ? s->bytes : 0;
}

/* ---- scoring ------------------------------------------------------------- */

static int valid_config(const pos_score_config *c)
{
    double v[] = {c->shrinkage, c->pop_damping, c->personal_weight, c->category_affinity,
                  c->margin_weight, c->upsell_cap, c->upsell_weight, c->bundle_weight,
                  c->durable_days};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        if (!isfinite(v[i]) || v[i] < 0)
            return 0;
    return c->max_per_family >= 1 && c->max_per_category >= 1 && c->max_rules >= 0;
}

/* The accumulators of a new candidate at position pos for item c. */
static inline void init_acc(pos_scratch *s, int32_t c, int32_t pos)
{
    acc_t *x = &s->acc[pos];
    x->cross = 0;
    x->top = -1;
    x->from = NO_FROM;
    s->touched[pos] = c;
}

static inline void init_cand(cand_info_t *y, int8_t ok)
{
    y->best = 0;
    y->mult = 1;
    y->value = 0;
    y->best_anchor = -1;
    y->index = -1;
    y->kind = 0;
    y->source = 0;
    y->personal = 0;
    y->has = 0;
    y->ok = ok;
}

/* The anchor of acc_t.from, or -1. */
static inline int32_t from_anchor(const pos_scratch *s, uint64_t from)
{
    return from == NO_FROM ? -1 : s->basket[from >> 32];
}

/* The raw pair count of acc_t.from's entry, or 0. */
static inline uint32_t from_pair(const pos_engine *e, const pos_scratch *s, uint64_t from)
{
    return from == NO_FROM ? 0
           : e->nb_count[e->nb_offsets[s->basket[from >> 32]] + (uint32_t)from];
}

/* Candidate t's record. A candidate first touched by the cross-sell sums has
 * none until something asks for it: it is then made as what every such
 * candidate proposes, its cross score as a mined cross-sell, eligibility open.
 * (Its cross score is final by then, or for a personal candidate updated when
 * the personal part is added.) Every other touch makes its record at once. */
static inline cand_info_t *rec(pos_scratch *s, size_t t)
{
    cand_info_t *y = &s->cand[t];
    if (s->rstamp[t] != s->epoch) {
        const acc_t *x = &s->acc[t];
        s->rstamp[t] = s->epoch;
        init_cand(y, OK_UNKNOWN);
        y->has = 1;
        y->best = x->cross;
        y->kind = POS_KIND_CROSS;
        y->source = POS_SOURCE_MINED;
        y->best_anchor = from_anchor(s, x->from);
    }
    return y;
}

/* Whether candidate t is eligible. The candidates of the cross-sell sums leave
 * it open (reading the item's line for each of thousands of candidates costs
 * more than the sums): it is looked up when something depends on it. Items in
 * the basket or excluded are touched (not ok) before anything else, so any
 * other candidate is eligible exactly when the item itself is. A candidate
 * that proposes something (has) but is not eligible is never ranked. */
static inline int resolve(const pos_engine *e, pos_scratch *s, size_t t)
{
    cand_info_t *y = rec(s, t);
    if (y->ok == OK_UNKNOWN)
        y->ok = (int8_t)e->info[s->touched[t]].ok;
    return y->ok;
}

/* Touches item c for this call: its candidate position. A new candidate is
 * eligible when ok and the item is. */
static int32_t touch(const pos_engine *e, pos_scratch *s, int32_t c, int ok, size_t *n_touched)
{
    mark_t *m = &s->mark[c];
    if (m->stamp == s->epoch)
        return m->pos;
    int32_t pos = (int32_t)(*n_touched)++;
    m->stamp = s->epoch;
    m->pos = pos;
    init_acc(s, c, pos);
    init_cand(&s->cand[pos], (int8_t)(ok && e->info[c].ok));
    s->rstamp[pos] = s->epoch;
    return pos;
}

/* A candidate for the item at position t; the best (strictly higher) score of
 * its kinds wins. */
static void propose(const pos_engine *e, pos_scratch *s, int32_t t, double score, int kind,
                    int source, int32_t anchor, int32_t index, int64_t value)
{
    cand_info_t *x = rec(s, (size_t)t);
    if (!resolve(e, s, (size_t)t) || (x->has && !(score > x->best)))
        return;
    x->has = 1;
    x->best = score;
    x->kind = (int8_t)kind;
    x->source = (int8_t)source;
    x->best_anchor = anchor;
    x->index = index;
    x->value = value;
}

static int in_category(const pos_engine *e, int32_t cat, int32_t under)
{
    while (cat >= 0) {
        if (cat == under)
            return 1;
        cat = e->category_parent[cat];
    }
    return 0;
}

/* cand order: higher score first, then lower item. */
static int before(const cand_t *a, const cand_t *b)
{
    return a->score > b->score || (a->score == b->score && a->item < b->item);
}

static void sift_down(cand_t *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && before(&h[l], &h[m]))
            m = l;
        if (r < n && before(&h[r], &h[m]))
            m = r;
        if (m == i)
            return;
        cand_t t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static uint32_t pair_count(const pos_engine *e, int32_t a, int32_t c)
{
    if (a < 0)
        return 0;
    for (int64_t j = e->nb_offsets[a]; j < e->nb_offsets[a + 1]; j++)
        if (e->nb[j].item == c)
            return e->nb_count[j];
    return 0;
}

static void new_epoch(pos_scratch *s, const pos_engine *e)
{
    if (++s->epoch == 0) {   /* wrapped: forget every stamp */
        for (int32_t i = 0; i < e->n_items; i++) {
            s->mark[i].stamp = 0;
            s->bmark[i].bstamp = s->bmark[i].xstamp = 0;
        }
        memset(s->rstamp, 0, ((size_t)e->n_items + 1) * sizeof *s->rstamp);
        memset(s->cstamp, 0, ((size_t)e->n_categories + 1) * sizeof *s->cstamp);
        memset(s->sstamp, 0, ((size_t)e->n_categories + 1) * sizeof *s->sstamp);
        s->epoch = 1;
    }
}

/* What the final score of a candidate needs besides its own fields. */
typedef struct {
    int affinity;          /* with a customer whose history has purchases */
    double hist_total;
    uint32_t epoch;
    double category_affinity, margin_weight;
    double bound_factor, margin_bound;   /* the largest factors a candidate can get */
} final_t;

/* best x boosts -> x (1 + delta x category share) x (1 + mu x margin). */
static double final_score(const pos_engine *e, const pos_scratch *s, const final_t *f, int32_t c,
                          double score)
{
    const info_t *in = &e->info[c];
    if (f->affinity) {
        int32_t cat = in->category;
        double share = (cat >= 0 && s->sstamp[cat] == f->epoch) ? s->share[cat] / f->hist_total
                                                                 : 0.0;
        score *= 1.0 + f->category_affinity * share;
    }
    return score * (1.0 + f->margin_weight * in->margin);
}

/* The first lines of item a's neighbour list. */
static inline void prefetch_list(const pos_engine *e, int32_t a)
{
    const char *p = (const char *)(e->nb + e->nb_offsets[a]);
    __builtin_prefetch(p);
    __builtin_prefetch(p + 64);
    __builtin_prefetch(p + 128);
    __builtin_prefetch(p + 192);
}

/* The cross-sell sums: rel(a -> c) over the basket lines' neighbour lists.
 * The inner loop is the engine's hot spot: per entry it reads the 8-byte
 * entry (streamed), the item's 16-byte mark (prefetched) and its 24-byte
 * accumulator (compact, in touch order). */
static size_t cross_sums(const pos_engine *e, pos_scratch *s, int32_t nb, double K, double beta,
                         size_t nt)
{
    const uint32_t ep = s->epoch;
    mark_t *mark = s->mark;
    acc_t *acc = s->acc;
    const acc_t blank = {0, -1, NO_FROM};
    const double WK = e->total_weight + K;
    for (int32_t i = 0; i < nb && i < LIST_AHEAD; i++)
        prefetch_list(e, s->basket[i]);
    for (int32_t i = 0; i < nb; i++) {
        int32_t a = s->basket[i];
        if (i + LIST_AHEAD < nb)
            prefetch_list(e, s->basket[i + LIST_AHEAD]);
        double denom = e->weight[a] + K;
        if (!(denom > 0))
            denom = INFINITY;   /* conf = w / inf = 0, as in docs/scoring.md */
        const nb_t *list = e->nb + e->nb_offsets[a];
        uint32_t len = (uint32_t)(e->nb_offsets[a + 1] - e->nb_offsets[a]);
        for (uint32_t j = 0; j < len; j++) {
            const nb_t *p = &list[j];
            __builtin_prefetch(&mark[p[PREFETCH_AHEAD].item]);
            int32_t c = p->item;
            mark_t *m = &mark[c];
            if (m->stamp != ep) {
                int32_t pos = (int32_t)nt++;
                m->stamp = ep;
                m->pos = pos;
                acc[pos] = blank;
                s->touched[pos] = c;
                if (isnan(m->pcpow)) {   /* once per item and K, beta */
                    double pc = WK > 0 ? (e->weight[c] + K) / WK : 0.0;
                    m->pcpow = pc > 0 ? pow(pc, -beta) : 1.0;   /* no base rate: no damping */
                }
            }
            acc_t *x = &acc[m->pos];
            double conf = (double)p->weight / denom;
            double rel = conf * m->pcpow;
            /* a new largest contribution: selects, not a branch (a mispredicted
             * branch here would wait for the division) */
            double top = x->top;
            uint64_t keep = (uint64_t)(rel > top) - 1u;   /* all ones: keep the old one */
            x->cross += rel;
            x->top = rel > top ? rel : top;
            x->from = (x->from & keep) | (FROM(i, j) & ~keep);
        }
    }
    return nt;
}

/* Candidate t's heap entry, if it is ranked at all (it proposes something and
 * is not known to be ineligible): 1 and *h, else 0. */
static inline int heap_entry(const pos_engine *e, pos_scratch *s, const final_t *f, size_t t,
                             cand_t *h)
{
    double score;
    int ok;
    if (s->rstamp[t] == f->epoch) {
        const cand_info_t *x = &s->cand[t];
        if (!x->has || x->ok == 0)
            return 0;
        score = x->best * x->mult;
        ok = x->ok;
    } else {   /* a candidate of the sums without a record (see rec): best = cross, mult = 1 */
        score = s->acc[t].cross;
        ok = OK_UNKNOWN;
    }
    h->item = s->touched[t];
    if (ok == OK_UNKNOWN && score >= 0) {
        h->score = score * f->bound_factor * f->margin_bound;
        h->exact = 0;
        return 1;
    }
    if (!resolve(e, s, t))
        return 0;
    h->score = final_score(e, s, f, h->item, score);
    h->exact = 1;
    return 1;
}

/* Keeps the best m candidates seen in sel[0..*n), a heap with the worst of them
 * (the last in `before` order) on top; *dropped = 1 once any was left out. */
static inline void keep_best(cand_t *sel, size_t *n, size_t m, const cand_t *h, int *dropped)
{
    size_t i;
    if (*n < m) {   /* sift up */
        for (i = (*n)++; i > 0 && before(&sel[(i - 1) / 2], h); i = (i - 1) / 2)
            sel[i] = sel[(i - 1) / 2];
        sel[i] = *h;
        return;
    }
    *dropped = 1;
    if (m == 0 || !before(h, &sel[0]))
        return;
    for (i = 0;;) {   /* h replaces the top: sift down */
        size_t l = 2 * i + 1, r = l + 1, w = l;
        if (l >= m)
            break;
        if (r < m && before(&sel[l], &sel[r]))
            w = r;
        if (!before(h, &sel[w]))
            break;
        sel[i] = sel[w];
        i = w;
    }
    sel[i] = *h;
}

/* Ranks from the candidates h[0..nh) (reordered in place): pops the best until
 * k are accepted under the diversity caps, into out; returns how many.
 *
 * With a floor, h holds only the best candidates by heap score, and every one
 * left out ranks at or after the floor (the worst kept) by that score, so by
 * its exact score too (never above the bound). Each candidate popped exact
 * that ranks at or before the floor is then the same one a heap of all
 * candidates would give; the first that ranks after it stops the run: -1, and
 * the caller ranks from all of them; so does running out of candidates
 * before k are accepted. */
static long take_top(const pos_engine *e, pos_scratch *s, const final_t *f,
                     const pos_score_config *cf, cand_t *h, size_t nh, const cand_t *floor,
                     size_t k, pos_suggestion *out)
{
    const acc_t *acc = s->acc;
    for (size_t i = nh / 2; i-- > 0;)
        sift_down(h, nh, i);
    size_t got = 0;
    while (got < k && nh > 0) {
        cand_t top = h[0];
        int32_t c = top.item;
        int32_t pos = s->mark[c].pos;
        if (!top.exact) {   /* its exact score, and back into the heap */
            if (resolve(e, s, (size_t)pos)) {
                const cand_info_t *x = &s->cand[pos];
                h[0].score = final_score(e, s, f, c, x->best * x->mult);
                h[0].exact = 1;
            } else {
                h[0] = h[--nh];
            }
            sift_down(h, nh, 0);
            continue;
        }
        if (floor && before(floor, &top))
            return -1;
        h[0] = h[--nh];
        sift_down(h, nh, 0);
        int32_t fam = e->family[c], cat = e->category[c];
        const cand_info_t *x = rec(s, (size_t)pos);
        int32_t same_fam = 0, same_cat = 0, rules = 0;
        for (size_t i = 0; i < got; i++) {
            same_fam += fam >= 0 && e->family[out[i].item] == fam;
            same_cat += cat >= 0 && e->category[out[i].item] == cat;
            rules += out[i].source == POS_SOURCE_RULE;
        }
        if (same_fam >= cf->max_per_family || same_cat >= cf->max_per_category ||
            (x->source == POS_SOURCE_RULE && rules >= cf->max_rules))
            continue;
        int mined = x->kind == POS_KIND_CROSS && x->source == POS_SOURCE_MINED;
        pos_suggestion *o = &out[got++];
        o->item = c;
        o->kind = x->kind;
        o->score = top.score;
        o->price_or_step = mined ? e->price[c] : x->value;
        o->anchor = x->best_anchor;
        o->anchor_count = x->best_anchor >= 0 ? e->count[x->best_anchor] : 0;
        o->pair_count = x->best_anchor < 0 ? 0
                        : mined ? from_pair(e, s, acc[pos].from) : pair_count(e, x->best_anchor, c);
        o->source = x->source;
        o->index = x->index;
        o->personal = x->personal;
    }
    if (floor && got < k)   /* ran out: the ones left out may hold more */
        return -1;
    return (long)got;
}

int pos_engine_score(const pos_engine *e, pos_scratch *s, const pos_score_request *q,
                     pos_suggestion *out, size_t cap, size_t *n_out)
{
    if (n_out)
        *n_out = 0;
    if (!e || !s || !q || !n_out || s->engine != e || q->k < 0 || q->n_basket < 0
        || q->n_declined < 0 || q->n_history < 0 || q->customer_baskets < 0
        || (q->n_basket && !q->basket_items) || (q->n_declined && !q->declined)
        || (q->n_history && !q->history) || (q->k && !out) || !valid_config(&q->config))
        return POS_EINVAL;
    if (cap < (size_t)q->k)
        return POS_ESPACE;
    const pos_score_config *cf = &q->config;
    int32_t n = e->n_items;
    for (int32_t i = 0; i < q->n_basket; i++) {
        if (q->basket_items[i] < 0 || q->basket_items[i] >= n)
            return POS_ERANGE;
        if (q->basket_qty && !(q->basket_qty[i] > 0 && isfinite(q->basket_qty[i])))
            return POS_EINVAL;
    }
    for (int32_t i = 0; i < q->n_declined; i++)
        if (q->declined[i] < 0 || q->declined[i] >= n)
            return POS_ERANGE;
    for (int32_t i = 0; i < q->n_history; i++)
        if (q->history[i].item < 0 || q->history[i].item >= n)
            return POS_ERANGE;

    new_epoch(s, e);
    uint32_t ep = s->epoch;
    bmark_t *bmark = s->bmark;
    const double K = cf->shrinkage, beta = cf->pop_damping;
    if (!(K == s->cache_k) || !(beta == s->cache_beta)) {
        s->cache_k = K;
        s->cache_beta = beta;
        for (int32_t i = 0; i < n; i++)
            s->mark[i].pcpow = NAN;
    }

    /* the basket, merged; categories present (with their ancestors) */
    int32_t nb = 0;
    for (int32_t i = 0; i < q->n_basket; i++) {
        int32_t a = q->basket_items[i];
        double qty = q->basket_qty ? q->basket_qty[i] : 1.0;
        bmark_t *x = &bmark[a];
        if (x->bstamp == ep) {
            x->qty += qty;
            continue;
        }
        x->bstamp = ep;
        x->qty = qty;
        s->basket[nb++] = a;
        __builtin_prefetch(&e->nb_offsets[a]);
        for (int32_t c = e->category[a]; c >= 0 && s->cstamp[c] != ep; c = e->category_parent[c])
            s->cstamp[c] = ep;
    }
    for (int32_t i = 0; i < q->n_declined; i++)
        bmark[q->declined[i]].xstamp = ep;
    /* the customer: durable goods bought recently are excluded; category shares */
    int has_history = q->n_history > 0;
    double hist_total = 0;
    for (int32_t i = 0; i < q->n_history; i++) {
        const pos_customer_item *h = &q->history[i];
        int32_t c = h->item;
        if ((e->flags[c] & POS_ITEM_DURABLE)
            && (double)(q->now - h->last_time) <= cf->durable_days * 86400.0)
            bmark[c].xstamp = ep;
        int32_t cat = e->category[c];
        hist_total += h->baskets;
        if (cat >= 0) {
            if (s->sstamp[cat] != ep) {
                s->sstamp[cat] = ep;
                s->share[cat] = 0;
            }
            s->share[cat] += h->baskets;
        }
    }

    /* basket lines and excluded items first, never eligible */
    size_t nt = 0;
    for (int32_t i = 0; i < nb; i++)
        touch(e, s, s->basket[i], 0, &nt);
    for (int32_t i = 0; i < q->n_declined; i++)
        touch(e, s, q->declined[i], 0, &nt);
    for (int32_t i = 0; i < q->n_history; i++)
        if (bmark[q->history[i].item].xstamp == ep)
            touch(e, s, q->history[i].item, 0, &nt);
    size_t n_pre = nt;

    /* cross-sell: sum of rel(a -> c) over the basket */
    nt = cross_sums(e, s, nb, K, beta, nt);
    acc_t *acc = s->acc;
    cand_info_t *cand = s->cand;
    /* S_ref: the best cross score among the eligible (looked up only for a new best) */
    double sref = 0;
    int any = 0;
    for (size_t t = n_pre; t < nt; t++) {
        if ((!any || acc[t].cross > sref) && resolve(e, s, t)) {
            sref = acc[t].cross;
            any = 1;
        }
    }
    if (!any || !(sref > 0))
        sref = 1;

    /* personal: what the customer buys */
    double personal_den = (double)q->customer_baskets + K;
    for (int32_t i = 0; i < q->n_history; i++) {
        const pos_customer_item *h = &q->history[i];
        int32_t t = touch(e, s, h->item, 1, &nt);
        if (!resolve(e, s, (size_t)t) || personal_den <= 0)
            continue;
        acc[t].cross += cf->personal_weight * ((double)h->baskets / personal_den) * sref;
        cand_info_t *x = &cand[t];   /* made by resolve */
        x->personal = 1;
        x->has = 1;                  /* it proposes its cross score */
        x->best = acc[t].cross;
        x->kind = POS_KIND_CROSS;
        x->source = POS_SOURCE_MINED;
        x->best_anchor = from_anchor(s, acc[t].from);
        x->index = -1;
    }
    /* every other candidate of the sums proposes its cross score too: see rec */

    /* rules: pinned cross-sells and upsells (campaigns after every candidate) */
    for (int32_t r = 0; r < e->n_rules; r++) {
        int kind = e->rule_kind[r];
        if (kind == POS_RULE_CAMPAIGN || q->now < e->rule_from[r] || q->now > e->rule_to[r])
            continue;
        int32_t ti = e->rule_trigger_item[r], tc = e->rule_trigger_category[r];
        int32_t u = e->rule_item[r];
        double score = sref * (1.0 + 0.01 * e->rule_priority[r]);
        if (kind == POS_KIND_CROSS) {
            int32_t anchor = -1;
            if (ti >= 0) {
                if (bmark[ti].bstamp != ep)
                    continue;
                anchor = ti;
            } else if (tc >= 0) {
                if (s->cstamp[tc] != ep)
                    continue;
                for (int32_t i = 0; i < nb && anchor < 0; i++)
                    if (in_category(e, e->category[s->basket[i]], tc))
                        anchor = s->basket[i];
            }
            propose(e, s, touch(e, s, u, 1, &nt), score, POS_KIND_CROSS, POS_SOURCE_RULE,
                    anchor, r, e->price[u]);
        } else {  /* upsell: for each line it triggers on */
            if ((ti >= 0 && bmark[ti].bstamp != ep) || (tc >= 0 && s->cstamp[tc] != ep))
                continue;
            for (int32_t i = 0; i < nb; i++) {
                int32_t a = s->basket[i];
                if ((ti >= 0 && a != ti) || (tc >= 0 && !in_category(e, e->category[a], tc)))
                    continue;
                int64_t step = e->price[u] - e->price[a];
                if (step <= 0 || (double)step > cf->upsell_cap * (double)e->price[a])
                    continue;
                propose(e, s, touch(e, s, u, 1, &nt), score, POS_KIND_UPSELL, POS_SOURCE_RULE,
                        a, r, step);
            }
        }
    }

    /* upsell: explicit upgrades and the family's next tier */
    for (int32_t i = 0; i < nb; i++) {
        int32_t a = s->basket[i];
        for (int64_t j = e->up_offsets[a]; j < e->up_offsets[a + 1]; j++) {
            int32_t u = e->up_items[j];
            int64_t step = e->price[u] - e->price[a];
            if (step <= 0 || (double)step > cf->upsell_cap * (double)e->price[a])
                continue;
            double share = ((double)e->count[u] + 1.0)
                           / ((double)e->count[a] + (double)e->count[u] + 2.0);
            propose(e, s, touch(e, s, u, 1, &nt), sref * cf->upsell_weight * share,
                    POS_KIND_UPSELL, e->up_source[j], a, -1, step);
        }
    }

    /* bundle completion: every member but one in the basket */
    for (int32_t b = 0; b < e->n_bundles; b++) {
        if (q->now < e->bundle_from[b] || q->now > e->bundle_to[b])
            continue;
        int32_t missing = -1, anchor = -1, n_missing = 0;
        for (int64_t j = e->bundle_offsets[b]; j < e->bundle_offsets[b + 1]; j++) {
            int32_t m = e->bundle_items[j];
            if (bmark[m].bstamp == ep && bmark[m].qty >= (double)e->bundle_qty[j]) {
                if (anchor < 0)
                    anchor = m;
            } else {
                n_missing++;
                missing = m;
            }
        }
        if (n_missing == 1 && anchor >= 0)
            propose(e, s, touch(e, s, missing, 1, &nt), sref * cf->bundle_weight,
                    POS_KIND_BUNDLE, POS_SOURCE_BUNDLE, anchor, b, e->bundle_saving[b]);
    }

    /* campaigns multiply an existing candidate's score */
    for (int32_t r = 0; r < e->n_rules; r++) {
        if (e->rule_kind[r] != POS_RULE_CAMPAIGN || q->now < e->rule_from[r]
            || q->now > e->rule_to[r])
            continue;
        int32_t ti = e->rule_trigger_item[r], tc = e->rule_trigger_category[r];
        if ((ti >= 0 && bmark[ti].bstamp != ep) || (tc >= 0 && s->cstamp[tc] != ep))
            continue;
        const mark_t *m = &s->mark[e->rule_item[r]];
        if (m->stamp == ep && rec(s, (size_t)m->pos)->has && resolve(e, s, (size_t)m->pos))
            cand[m->pos].mult *= e->rule_boost[r];
    }

    /* final scores: campaign x category affinity x margin. A candidate whose
     * eligibility is still open enters the heap with an upper bound of its final
     * score (the largest category share, the largest margin), and gets its exact
     * score when it reaches the top; the heap order (score, then item) is the
     * same as with every score exact, since an exact score never exceeds its
     * bound (products of non-negative numbers are monotone under rounding). */
    int affinity = has_history && hist_total > 0;
    double max_share = 0;
    if (affinity)
        for (int32_t i = 0; i < q->n_history; i++) {
            int32_t cat = e->category[q->history[i].item];
            if (cat >= 0 && s->share[cat] / hist_total > max_share)
                max_share = s->share[cat] / hist_total;
        }
    final_t f = {affinity, hist_total, ep, cf->category_affinity, cf->margin_weight,
                 affinity ? 1.0 + cf->category_affinity * max_share : 1.0,
                 1.0 + cf->margin_weight};
    /* The best m_sel candidates go into s->sel (see take_top), unless k is too
     * large for it; all of them into s->heap only when s->sel cannot decide. */
    size_t k = (size_t)q->k;
    long got = -1;
    if (k <= (SEL_MAX - SEL_SPARE) / SEL_PER_K) {
        size_t m_sel = SEL_SPARE + SEL_PER_K * k, ns = 0;
        double worst = -INFINITY;   /* s->sel[0].score once s->sel is full */
        int dropped = 0, unordered = 0;
        cand_t h;
        for (size_t t = n_pre; t < nt; t++) {
            if (!heap_entry(e, s, &f, t, &h))
                continue;
            unordered |= isnan(h.score);
            if (h.score < worst) {   /* the common case, decided by one comparison */
                dropped = 1;
                continue;
            }
            keep_best(s->sel, &ns, m_sel, &h, &dropped);
            if (ns == m_sel)
                worst = s->sel[0].score;
        }
        if (!unordered) {   /* NaN scores have no order to select by */
            cand_t floor = s->sel[0];
            got = take_top(e, s, &f, cf, s->sel, ns, dropped ? &floor : NULL, k, out);
        }
    }
    if (got < 0) {
        size_t nh = 0;
        for (size_t t = n_pre; t < nt; t++)
            nh += (size_t)heap_entry(e, s, &f, t, &s->heap[nh]);
        got = take_top(e, s, &f, cf, s->heap, nh, NULL, k, out);
    }
    *n_out = (size_t)got;
    return POS_OK;
}
