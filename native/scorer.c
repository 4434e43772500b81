/* scorer.c: the suggestion engine. Ranks cross-sells, upsells and bundle
 * completions for a basket from the mined neighbour lists, the catalog's
 * upgrade ladders, bundles and rules. The formula: docs/scoring.md; its
 * plain-Python twin: tests/oracles/engine_reference.py (keep the two in step). */
#define _DEFAULT_SOURCE /* madvise */
#include "pos_core.h"
#include "similar.h"

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
    uint8_t *nb_pending;   /* [n_items] 1 = the list awaits pos_engine_set_neighbours */
    int32_t n_pending;     /* lists still awaited; the engine scores only at 0 */
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
    similar_index similar;  /* the recent baskets, for the similar-baskets term */
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
    uint64_t cache_learned;  /* the overlay state mark[].pcpow is for (0: none; see pos_learned.stamp) */
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
    similar_scratch similar;
    double *knn;         /* [n_items] by touch order: the similar baskets' votes */
    uint32_t *knn_n;     /* [n_items] by touch order: how many of them hold the item */
    uint32_t knn_picked; /* neighbours this call */
    pos_suggestion *ranked;    /* the personal re-rank's longer list (grown on demand) */
    size_t ranked_cap;
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
    free(e->nb_offsets); big_free(e->nb, e->nb_bytes); free(e->nb_count); free(e->nb_pending);
    free(e->up_offsets);
    free(e->up_items); free(e->up_source); free(e->bundle_offsets); free(e->bundle_items); free(e->bundle_qty);
    free(e->bundle_saving); free(e->bundle_from); free(e->bundle_to);
    free(e->rule_trigger_item); free(e->rule_trigger_category); free(e->rule_item);
    free(e->rule_kind); free(e->rule_priority); free(e->rule_boost); free(e->rule_from);
    free(e->rule_to);
    similar_free(&e->similar);
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

static int valid_neighbours(const pos_neighbour *x, int64_t len, int32_t n_items)
{
    for (int64_t j = 0; j < len; j++)
        if (x[j].item < 0 || x[j].item >= n_items || !isfinite(x[j].weight) || x[j].weight < 0)
            return 0;
    return 1;
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
    if (d->nb_entries && !valid_neighbours(d->nb_entries, d->nb_offsets[n], n))
        return POS_EINVAL;
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
    if (!d->nb_entries && total) {     /* the lists follow: pos_engine_set_neighbours */
        e->nb_pending = alloc(n, 1, by, &fail);
        if (e->nb_pending) {
            for (size_t i = 0; i < n; i++) {
                e->nb_pending[i] = d->nb_offsets[i + 1] > d->nb_offsets[i];
                e->n_pending += e->nb_pending[i];
            }
        }
    }
    if (e->nb && e->nb_count) {
        for (size_t j = 0; d->nb_entries && j < total; j++) {
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
    if (!fail)
        status = similar_build(&e->similar, d->n_items, d->n_recent, d->recent_offsets,
                               d->recent_items, by);
    if (fail || status != POS_OK || (status = build_upgrades(e, d)) != POS_OK) {
        pos_engine_free(e);
        return fail ? POS_ENOMEM : status;
    }
    int64_t n_up = e->up_offsets[n];
    *by += (n + 1) * sizeof *e->up_offsets + (size_t)(n_up ? n_up : 1) * (sizeof(int32_t) + 1);
    *out = e;
    return POS_OK;
}

int pos_engine_set_neighbours(pos_engine *e, int32_t item, const pos_neighbour *entries,
                              size_t n)
{
    if (!e || (n && !entries))
        return POS_EINVAL;
    if (item < 0 || item >= e->n_items)
        return POS_ERANGE;
    if (!e->nb_pending || !e->nb_pending[item])
        return POS_ESTATE;
    int64_t lo = e->nb_offsets[item];
    if ((uint64_t)(e->nb_offsets[item + 1] - lo) != (uint64_t)n
        || !valid_neighbours(entries, (int64_t)n, e->n_items))
        return POS_EINVAL;
    for (size_t j = 0; j < n; j++) {
        e->nb[lo + (int64_t)j].item = entries[j].item;
        e->nb[lo + (int64_t)j].weight = entries[j].weight;
        e->nb_count[lo + (int64_t)j] = entries[j].count;
    }
    e->nb_pending[item] = 0;
    if (--e->n_pending == 0) {
        free(e->nb_pending);
        e->nb_pending = NULL;
        e->bytes -= (size_t)e->n_items;
    }
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
    similar_scratch_free(&s->similar); free(s->knn); free(s->knn_n); free(s->ranked);
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
    s->knn = malloc(n * sizeof *s->knn);
    s->knn_n = malloc(n * sizeof *s->knn_n);
    size_t similar_bytes = 0;
    if (!s->mark || !s->bmark || !s->acc || !s->cand || !s->rstamp || !s->touched || !s->basket
        || !s->heap || !s->cstamp || !s->sstamp || !s->share || !s->knn || !s->knn_n
        || similar_scratch_init(&s->similar, &e->similar, &similar_bytes) != POS_OK) {
        pos_scratch_free(s);
        return POS_ENOMEM;
    }
    s->bytes = sizeof *s + s->mark_bytes + n * (sizeof *s->bmark + sizeof *s->acc
                                + sizeof *s->cand + sizeof *s->rstamp + sizeof *s->touched
                                + sizeof *s->basket + sizeof *s->heap)
               + nc * (2 * sizeof *s->cstamp + sizeof *s->share)
               + n * (sizeof *s->knn + sizeof *s->knn_n) + similar_bytes;
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
    return c->max_per_family >= 1 && c->max_per_category >= 1 && c->max_rules >= 0
           && (c->aggregate == POS_AGGREGATE_SUM || c->aggregate == POS_AGGREGATE_MAX)
           && c->knn_weight <= 1.0 && !(c->knn_weight < 0) && c->knn_recent >= 1
           && c->knn_neighbours >= 1 && (c->knn_idf == 0 || c->knn_idf == 1)
           && c->knn_power >= 1 && c->knn_power <= 3
           && c->personal_slots >= 0 && c->personal_slots <= 8;
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
        /* no pairwise contribution: a candidate of the similar baskets alone */
        y->source = x->from == NO_FROM ? POS_SOURCE_SIMILAR : POS_SOURCE_MINED;
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
        /* conf = w x (1 / denom): one division per line, not per entry (the
         * reference does the same); no mass: conf = 0, as in docs/scoring.md */
        double inv = denom > 0 ? 1.0 / denom : 0.0;
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
            double conf = (double)p->weight * inv;
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

/* The candidates t in [from, nt) of the sums: with max aggregation each takes
 * its largest contribution; then the similar baskets vote (each neighbour
 * sim^power for every item it holds that is not in the basket or excluded, in
 * ascending basket and item order) and the two scores blend:
 *     cross = (1 - lambda) cross + lambda (C / V) vote,
 * C the largest cross score (1 when none is > 0), V the largest vote. An item
 * only the neighbours hold becomes a candidate with no pairwise contribution
 * (rec makes it a POS_SOURCE_SIMILAR cross-sell). Returns the new nt. */
static size_t aggregate_and_blend(const pos_engine *e, pos_scratch *s, const pos_score_config *cf,
                                  int32_t nb, size_t from, size_t nt)
{
    acc_t *acc = s->acc;
    if (cf->aggregate == POS_AGGREGATE_MAX)
        for (size_t t = from; t < nt; t++)
            acc[t].cross = acc[t].top;
    s->knn_picked = 0;
    if (!(cf->knn_weight > 0) || e->similar.n == 0)
        return nt;
    size_t np;
    similar_query(&e->similar, &s->similar, s->basket, nb, cf->knn_recent, cf->knn_neighbours,
                  cf->knn_idf, &np);
    s->knn_picked = (uint32_t)np;
    if (!np)
        return nt;
    for (size_t t = from; t < nt; t++) {
        s->knn[t] = 0;
        s->knn_n[t] = 0;
    }
    const uint32_t ep = s->epoch;
    const acc_t blank = {0, -1, NO_FROM};
    for (size_t p = 0; p < np; p++) {
        const similar_pick *pk = &s->similar.pick[p];
        double vote = pk->sim;
        for (int32_t r = 1; r < cf->knn_power; r++)
            vote *= pk->sim;
        const int32_t *items = e->similar.items;
        for (int64_t j = e->similar.offsets[pk->basket]; j < e->similar.offsets[pk->basket + 1]; j++) {
            mark_t *m = &s->mark[items[j]];
            if (m->stamp != ep) {   /* new: recorded lazily, as the sums' candidates */
                m->stamp = ep;
                m->pos = (int32_t)nt;
                acc[nt] = blank;
                s->touched[nt] = items[j];
                s->knn[nt] = 0;
                s->knn_n[nt] = 0;
                nt++;
            } else if ((size_t)m->pos < from) {
                continue;   /* in the basket, or excluded */
            }
            s->knn[m->pos] += vote;
            s->knn_n[m->pos]++;
        }
    }
    double cmax = 0, vmax = 0;
    for (size_t t = from; t < nt; t++) {
        cmax = acc[t].cross > cmax ? acc[t].cross : cmax;
        vmax = s->knn[t] > vmax ? s->knn[t] : vmax;
    }
    if (!(vmax > 0))
        return nt;
    double w1 = 1.0 - cf->knn_weight, w2 = cf->knn_weight * ((cmax > 0 ? cmax : 1.0) / vmax);
    for (size_t t = from; t < nt; t++)
        acc[t].cross = w1 * acc[t].cross + w2 * s->knn[t];
    return nt;
}

/* ---- learning overlay ------------------------------------------------------
 *
 * pos_learned: today's baskets and declines on top of the mined counts. Per
 * item the count and weight added (dc, dw) and the totals; per ordered pair
 * (a, c) an entry in `ent`, found by an open-addressing hash of (a, c), holding
 * its mined count and weight (looked up once in a's list when the entry is
 * made; j = its index there or NOT_LISTED), what today added, and the decayed
 * decline sum. Per anchor a, its entries in two lists the scorer walks: the
 * ones in a's mined list sorted by j (merged with the list as it streams) and
 * the new pairs once they reach the bar (min_pair_count baskets today, and
 * for a full list the weight of its weakest entry), in the order they got
 * there: most new pairs of a day are seen once, and a popular item has
 * thousands of partners beyond its list, each worth next to nothing to its
 * sums, which the scorer would otherwise touch on every call.
 * Adding reserves every array first, so a failed call changes nothing. */

#define NOT_LISTED UINT32_MAX

typedef struct {            /* 40 bytes: a day holds about a million */
    int32_t a, c;
    uint32_t j;             /* index in a's mined list, or NOT_LISTED */
    uint32_t mined_count;   /* the mined pair's raw count (0 when not listed) */
    float mined_weight;     /* and weight (as the engine stores it) */
    uint32_t dc;            /* today's co-count */
    int32_t decl;           /* its declines in pos_learned.decl, or -1 */
    uint32_t ready;         /* a new pair in its anchor's fresh list */
    double dw;              /* today's weight */
} learned_entry;

typedef struct {            /* a listed pair of an anchor: the merge reads j in order */
    uint32_t j;
    int32_t idx;            /* its entry */
} known_t;

typedef struct {
    double sum;             /* decline sum, decayed to `time` */
    int64_t time;
} learned_decline;

typedef struct {
    known_t *known;   /* the listed pairs, by j */
    int32_t *fresh;   /* the new pairs that reached the bar (see pos_learn_params), in that order */
    uint32_t nk, ck, nf, cf;
    int has_bar;
    double bar;       /* the weight a new pair must reach: the weakest listed one's when
                         the anchor's list is full (list_size), else 0 */
} learned_anchor;

struct pos_learned {
    const pos_engine *engine;
    uint64_t stamp;           /* unique to this overlay and its contents: changes with every add */
    int32_t n_items;          /* the engine's (freeing reads no engine field) */
    pos_learn_params p;
    double half_life_s;
    uint32_t *dc;             /* [n_items] */
    double *dw;               /* [n_items] */
    int64_t baskets, declines;
    int64_t dropped;          /* pair updates and declines not held (max_pairs reached) */
    double weight;
    learned_entry *ent;
    size_t n_ent, cap_ent;
    learned_decline *decl;    /* the declined pairs' sums */
    size_t n_decl, cap_decl;
    int32_t *slot;            /* hash: entry index or -1; cap_slot a power of 2 */
    size_t cap_slot;
    learned_anchor *anchor;   /* [n_items] */
    size_t list_bytes;        /* bytes of the anchors' lists */
    int32_t *tmp;             /* a basket, sorted without repeats */
    size_t cap_tmp;
    uint32_t basket_now, listed_now;   /* the current stamps of in_basket, listed */
    uint32_t *in_basket;      /* [n_items] == a stamp: in the basket being added */
    uint32_t *listed;         /* [n_items] == a stamp: pos[] holds its place in the line's list */
    uint32_t *pos;            /* [n_items] */
};

/* The source of pos_learned.stamp (never 0). */
static uint64_t learned_stamps;

static uint64_t new_stamp(void)
{
    return __atomic_add_fetch(&learned_stamps, 1, __ATOMIC_RELAXED);
}

static inline size_t pair_hash(int32_t a, int32_t c, size_t mask)
{
    uint64_t x = ((uint64_t)(uint32_t)a << 32) | (uint32_t)c;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return (size_t)x & mask;
}

static const learned_entry *learned_find(const pos_learned *l, int32_t a, int32_t c)
{
    if (!l->n_ent)
        return NULL;
    size_t mask = l->cap_slot - 1;
    for (size_t h = pair_hash(a, c, mask);; h = (h + 1) & mask) {
        int32_t x = l->slot[h];
        if (x < 0)
            return NULL;
        if (l->ent[x].a == a && l->ent[x].c == c)
            return &l->ent[x];
    }
}

void pos_learned_free(pos_learned *l)
{
    if (!l)
        return;
    if (l->anchor)
        for (int32_t i = 0; i < l->n_items; i++) {
            free(l->anchor[i].known);
            free(l->anchor[i].fresh);
        }
    free(l->anchor); free(l->dc); free(l->dw); free(l->ent); free(l->slot); free(l->tmp);
    free(l->in_basket); free(l->listed); free(l->pos); free(l->decl);
    free(l);
}

int pos_learned_new(const pos_engine *e, const pos_learn_params *p, pos_learned **out)
{
    if (!out)
        return POS_EINVAL;
    *out = NULL;
    if (!e || !p || p->size_cap < 2 || p->min_pair_count < 1 || p->list_size < 0
        || p->max_pairs < 0 || !isfinite(p->decline_half_life_days)
        || !(p->decline_half_life_days > 0))
        return POS_EINVAL;
    if (e->n_pending)
        return POS_ESTATE;
    pos_learned *l = calloc(1, sizeof *l);
    if (!l)
        return POS_ENOMEM;
    size_t n = (size_t)e->n_items + 1;
    l->engine = e;
    l->stamp = new_stamp();
    l->n_items = e->n_items;
    l->p = *p;
    l->half_life_s = p->decline_half_life_days * 86400.0;
    l->dc = calloc(n, sizeof *l->dc);
    l->dw = calloc(n, sizeof *l->dw);
    l->anchor = calloc(n, sizeof *l->anchor);
    l->in_basket = calloc(n, sizeof *l->in_basket);
    l->listed = calloc(n, sizeof *l->listed);
    l->pos = calloc(n, sizeof *l->pos);
    l->cap_slot = 64;
    l->slot = malloc(l->cap_slot * sizeof *l->slot);
    if (!l->dc || !l->dw || !l->anchor || !l->slot || !l->in_basket || !l->listed || !l->pos) {
        pos_learned_free(l);
        return POS_ENOMEM;
    }
    memset(l->slot, 0xff, l->cap_slot * sizeof *l->slot);
    *out = l;
    return POS_OK;
}

size_t pos_learned_memory(const pos_learned *l)
{
    if (!l)
        return 0;
    size_t n = (size_t)l->n_items + 1;
    return sizeof *l + n * (sizeof *l->dc + sizeof *l->dw + sizeof *l->anchor
                            + sizeof *l->in_basket + sizeof *l->listed + sizeof *l->pos)
           + l->cap_ent * sizeof *l->ent + l->cap_decl * sizeof *l->decl + l->cap_slot * sizeof *l->slot + l->list_bytes
           + l->cap_tmp * sizeof *l->tmp;
}

int pos_learned_stats_get(const pos_learned *l, pos_learned_stats *out)
{
    if (!l || !out)
        return POS_EINVAL;
    out->baskets = l->baskets;
    out->weight = l->weight;
    out->pairs = (int64_t)l->n_ent;
    out->declines = l->declines;
    out->dropped = l->dropped;
    return POS_OK;
}

/* Room for `more` new entries (the entries, the hash at load <= 1/2). */
static int reserve_entries(pos_learned *l, size_t more)
{
    size_t need = l->n_ent + more;
    if (need > (size_t)INT32_MAX)
        return POS_EOVERFLOW;
    if (need > l->cap_ent) {
        size_t cap = l->cap_ent ? l->cap_ent : 256;
        while (cap < need)
            cap += cap / 2;
        learned_entry *x = realloc(l->ent, cap * sizeof *x);
        if (!x)
            return POS_ENOMEM;
        l->ent = x;
        l->cap_ent = cap;
    }
    if (2 * need > l->cap_slot) {
        size_t cap = l->cap_slot;
        while (2 * need > cap)
            cap *= 2;
        int32_t *slot = malloc(cap * sizeof *slot);
        if (!slot)
            return POS_ENOMEM;
        memset(slot, 0xff, cap * sizeof *slot);
        for (size_t x = 0; x < l->n_ent; x++) {
            size_t h = pair_hash(l->ent[x].a, l->ent[x].c, cap - 1);
            while (slot[h] >= 0)
                h = (h + 1) & (cap - 1);
            slot[h] = (int32_t)x;
        }
        free(l->slot);
        l->slot = slot;
        l->cap_slot = cap;
    }
    return POS_OK;
}

/* Room for `more` entries in one of an anchor's lists. */
static int reserve_list(pos_learned *l, void **list, size_t size, uint32_t n, uint32_t *cap,
                        uint32_t more)
{
    if ((uint64_t)n + more <= *cap)
        return POS_OK;
    if ((uint64_t)n + more > (uint64_t)INT32_MAX)
        return POS_EOVERFLOW;
    uint32_t c = *cap ? *cap : 4;
    while (c < n + more)
        c *= 2;
    void *x = realloc(*list, (size_t)c * size);
    if (!x)
        return POS_ENOMEM;
    l->list_bytes += (size_t)(c - *cap) * size;
    *list = x;
    *cap = c;
    return POS_OK;
}

/* c's position in a's mined list, or NOT_LISTED. */
static uint32_t list_pos(const pos_engine *e, int32_t a, int32_t c)
{
    int64_t lo = e->nb_offsets[a], len = e->nb_offsets[a + 1] - lo;
    for (int64_t j = 0; j < len; j++)
        if (e->nb[lo + j].item == c)
            return (uint32_t)j;
    return NOT_LISTED;
}

/* The entry of (a, c), made when missing with j = c's position in a's list
 * (NOT_LISTED: none); room reserved by the caller. NULL (counted as dropped)
 * when missing and the overlay holds max_pairs entries. */
static learned_entry *learned_entry_of(pos_learned *l, int32_t a, int32_t c, uint32_t j)
{
    size_t mask = l->cap_slot - 1, h;
    for (h = pair_hash(a, c, mask); l->slot[h] >= 0; h = (h + 1) & mask) {
        learned_entry *x = &l->ent[l->slot[h]];
        if (x->a == a && x->c == c)
            return x;
    }
    if (l->p.max_pairs > 0 && (int64_t)l->n_ent >= l->p.max_pairs) {
        l->dropped++;
        return NULL;
    }
    const pos_engine *e = l->engine;
    int32_t idx = (int32_t)l->n_ent++;
    l->slot[h] = idx;
    learned_entry *x = &l->ent[idx];
    memset(x, 0, sizeof *x);
    x->decl = -1;
    x->a = a;
    x->c = c;
    x->j = j;
    if (j != NOT_LISTED) {
        int64_t at = e->nb_offsets[a] + j;
        x->mined_count = e->nb_count[at];
        x->mined_weight = e->nb[at].weight;
    }
    learned_anchor *an = &l->anchor[a];
    if (x->j != NOT_LISTED) {   /* into the sorted known list */
        uint32_t lo2 = 0, hi = an->nk;
        while (lo2 < hi) {
            uint32_t mid = (lo2 + hi) / 2;
            if (an->known[mid].j < x->j)
                lo2 = mid + 1;
            else
                hi = mid;
        }
        memmove(&an->known[lo2 + 1], &an->known[lo2], (size_t)(an->nk - lo2) * sizeof *an->known);
        an->known[lo2].j = x->j;
        an->known[lo2].idx = idx;
        an->nk++;
    }
    return x;
}

/* The weight a new pair of anchor a must reach to be visited (learned_anchor.bar). */
static double anchor_bar(pos_learned *l, int32_t a)
{
    learned_anchor *an = &l->anchor[a];
    if (!an->has_bar) {
        const pos_engine *e = l->engine;
        int64_t lo = e->nb_offsets[a], len = e->nb_offsets[a + 1] - lo;
        double bar = 0;
        if (l->p.list_size > 0 && len >= l->p.list_size) {
            bar = INFINITY;
            for (int64_t j = 0; j < len; j++)
                if ((double)e->nb[lo + j].weight < bar)
                    bar = (double)e->nb[lo + j].weight;
        }
        an->bar = bar;
        an->has_bar = 1;
    }
    return an->bar;
}

/* A fresh stamp for the per-item array marks (*now its counter; on wrapping
 * the array is cleared). */
static uint32_t next_stamp(uint32_t *now, uint32_t *marks, int32_t n_items)
{
    if (++*now == 0) {
        memset(marks, 0, (size_t)n_items * sizeof *marks);
        *now = 1;
    }
    return *now;
}

static int by_int32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

int pos_learned_add_basket(pos_learned *l, const int32_t *items, int32_t n)
{
    if (!l || n < 0 || (n && !items))
        return POS_EINVAL;
    const pos_engine *e = l->engine;
    for (int32_t i = 0; i < n; i++)
        if (items[i] < 0 || items[i] >= e->n_items)
            return POS_ERANGE;
    if (n == 0)   /* no items: nothing to count (the miner sees no empty baskets) */
        return POS_OK;
    if ((size_t)n > l->cap_tmp) {
        int32_t *t = realloc(l->tmp, (size_t)n * sizeof *t);
        if (!t)
            return POS_ENOMEM;
        l->tmp = t;
        l->cap_tmp = (size_t)n;
    }
    int32_t *b = l->tmp, m = 0;
    memcpy(b, items, (size_t)n * sizeof *b);
    qsort(b, (size_t)n, sizeof *b, by_int32);
    for (int32_t i = 0; i < n; i++)
        if (m == 0 || b[m - 1] != b[i])
            b[m++] = b[i];
    for (int32_t i = 0; i < m; i++)   /* a pair's count never passes its items' */
        if ((uint64_t)e->count[b[i]] + l->dc[b[i]] + 1 > UINT32_MAX)
            return POS_EOVERFLOW;
    int status = reserve_entries(l, (size_t)m * (size_t)(m > 0 ? m - 1 : 0));
    for (int32_t i = 0; i < m && status == POS_OK; i++) {
        learned_anchor *an = &l->anchor[b[i]];
        status = reserve_list(l, (void **)&an->known, sizeof *an->known, an->nk, &an->ck,
                              (uint32_t)(m - 1));
        if (status == POS_OK)
            status = reserve_list(l, (void **)&an->fresh, sizeof *an->fresh, an->nf, &an->cf,
                                  (uint32_t)(m - 1));
    }
    if (status != POS_OK)
        return status;
    double w = m > l->p.size_cap ? (double)(l->p.size_cap - 1) / (double)(m - 1) : 1.0;
    for (int32_t i = 0; i < m; i++) {
        l->dc[b[i]] += 1;
        l->dw[b[i]] += w;
    }
    /* each line's list is read once for the positions of the basket's other items */
    uint32_t bs = next_stamp(&l->basket_now, l->in_basket, l->n_items);
    for (int32_t i = 0; i < m; i++)
        l->in_basket[b[i]] = bs;
    for (int32_t i = 0; i < m; i++) {
        int64_t lo = e->nb_offsets[b[i]], len = e->nb_offsets[b[i] + 1] - lo;
        uint32_t as = next_stamp(&l->listed_now, l->listed, l->n_items);
        for (int64_t j = 0; j < len; j++) {
            int32_t c = e->nb[lo + j].item;
            if (l->in_basket[c] == bs) {
                l->listed[c] = as;
                l->pos[c] = (uint32_t)j;
            }
        }
        for (int32_t k = 0; k < m; k++) {
            if (k == i)
                continue;
            uint32_t j = l->listed[b[k]] == as ? l->pos[b[k]] : NOT_LISTED;
            learned_entry *x = learned_entry_of(l, b[i], b[k], j);
            if (!x)
                continue;
            x->dc += 1;
            x->dw += w;
            if (x->j == NOT_LISTED && !x->ready && x->dc >= (uint32_t)l->p.min_pair_count
                && x->dw >= anchor_bar(l, b[i])) {   /* a new pair the scorer now visits */
                learned_anchor *an = &l->anchor[b[i]];
                x->ready = 1;
                an->fresh[an->nf++] = (int32_t)(x - l->ent);
            }
        }
    }
    l->baskets++;
    l->weight += w;
    l->stamp = new_stamp();
    return POS_OK;
}

int pos_learned_add_decline(pos_learned *l, int32_t a, int32_t c, int64_t time)
{
    if (!l)
        return POS_EINVAL;
    const pos_engine *e = l->engine;
    if (a < 0 || a >= e->n_items || c < 0 || c >= e->n_items)
        return POS_ERANGE;
    learned_anchor *an = &l->anchor[a];
    int status = reserve_entries(l, 1);
    if (status == POS_OK)
        status = reserve_list(l, (void **)&an->known, sizeof *an->known, an->nk, &an->ck, 1);
    if (status == POS_OK && l->n_decl == l->cap_decl) {
        size_t cap = l->cap_decl ? 2 * l->cap_decl : 64;
        learned_decline *d = realloc(l->decl, cap * sizeof *d);
        if (!d)
            status = POS_ENOMEM;
        else {
            l->decl = d;
            l->cap_decl = cap;
        }
    }
    if (status != POS_OK)
        return status;
    learned_entry *x = learned_entry_of(l, a, c, list_pos(e, a, c));
    if (!x)
        return POS_OK;   /* full: counted in dropped */
    if (x->decl < 0) {
        x->decl = (int32_t)l->n_decl++;
        l->decl[x->decl].sum = 1;
        l->decl[x->decl].time = time;
    } else {
        learned_decline *d = &l->decl[x->decl];
        if (time >= d->time) {
            d->sum = d->sum * pow(2.0, -(double)(time - d->time) / l->half_life_s) + 1.0;
            d->time = time;
        } else {
            d->sum += pow(2.0, -(double)(d->time - time) / l->half_life_s);
        }
    }
    l->declines++;
    l->stamp = new_stamp();
    return POS_OK;
}

/* The damping of a pair's declines at `now`: 1 / (1 + decayed sum). */
static inline double decline_factor(const pos_learned *l, const learned_entry *x, int64_t now)
{
    if (x->decl < 0)
        return 1.0;
    const learned_decline *y = &l->decl[x->decl];
    double d = y->sum;
    if (now > y->time)
        d *= pow(2.0, -(double)(now - y->time) / l->half_life_s);
    return 1.0 / (1.0 + d);
}

/* The damping of (a, c) at `now` (1 when the pair has no declines). */
static double learned_damping(const pos_learned *l, int32_t a, int32_t c, int64_t now)
{
    if (a < 0)
        return 1.0;
    const learned_entry *x = learned_find(l, a, c);
    return x ? decline_factor(l, x, now) : 1.0;
}

/* The cross-sell sums with an overlay: as cross_sums, but every rel uses the
 * combined item weights (w_a + dw_a, w_c + dw_c, W + dW: mark[].pcpow is
 * cached for this overlay state, see pos_engine_score); an entry of line a's
 * list with an overlay entry contributes with the combined pair weight, damped
 * by its declines; after the list, a's new pairs of today that reached the
 * bar contribute theirs, with FROM(line, NOT_LISTED). */
static size_t cross_sums_learned(const pos_engine *e, pos_scratch *s, const pos_learned *l,
                                 int32_t nb, double K, double beta, int64_t now, size_t nt)
{
    const uint32_t ep = s->epoch;
    mark_t *mark = s->mark;
    acc_t *acc = s->acc;
    const acc_t blank = {0, -1, NO_FROM};
    const double WK = e->total_weight + l->weight + K;
    for (int32_t i = 0; i < nb && i < LIST_AHEAD; i++)
        prefetch_list(e, s->basket[i]);
    for (int32_t i = 0; i < nb; i++) {
        int32_t a = s->basket[i];
        if (i + LIST_AHEAD < nb)
            prefetch_list(e, s->basket[i + LIST_AHEAD]);
        double denom = e->weight[a] + l->dw[a] + K;
        double inv = denom > 0 ? 1.0 / denom : 0.0;
        const nb_t *list = e->nb + e->nb_offsets[a];
        uint32_t len = (uint32_t)(e->nb_offsets[a + 1] - e->nb_offsets[a]);
        const learned_anchor *an = &l->anchor[a];
        const known_t *kn = an->known;
        uint32_t k = 0, next = an->nk ? kn[0].j : NOT_LISTED;
        if (an->nk)
            __builtin_prefetch(&l->ent[kn[0].idx]);
        for (uint32_t j = 0, f = 0; j < len || f < an->nf; j++) {
            const learned_entry *y = NULL;
            int32_t c;
            double w = 0;
            uint64_t from;
            if (j < len) {   /* the mined list, merged with the overlay's listed entries */
                __builtin_prefetch(&mark[list[j + PREFETCH_AHEAD].item]);
                c = list[j].item;
                w = (double)list[j].weight;
                from = FROM(i, j);
                if (j == next) {
                    y = &l->ent[kn[k++].idx];
                    next = k < an->nk ? kn[k].j : NOT_LISTED;
                    if (k < an->nk)
                        __builtin_prefetch(&l->ent[kn[k].idx]);
                }
            } else {         /* then today's new pairs */
                if (f + 1 < an->nf)
                    __builtin_prefetch(&l->ent[an->fresh[f + 1]]);
                y = &l->ent[an->fresh[f++]];
                c = y->c;
                from = FROM(i, NOT_LISTED);
            }
            mark_t *m = &mark[c];
            if (m->stamp != ep) {
                int32_t pos = (int32_t)nt++;
                m->stamp = ep;
                m->pos = pos;
                acc[pos] = blank;
                s->touched[pos] = c;
            }
            if (isnan(m->pcpow)) {
                double pc = WK > 0 ? (e->weight[c] + l->dw[c] + K) / WK : 0.0;
                m->pcpow = pc > 0 ? pow(pc, -beta) : 1.0;
            }
            double rel = y ? ((double)y->mined_weight + y->dw) * inv * m->pcpow * decline_factor(l, y, now)
                           : w * inv * m->pcpow;
            acc_t *x = &acc[m->pos];
            x->cross += rel;
            if (rel > x->top) {
                x->top = rel;
                x->from = from;
            }
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

/* Writes candidate c (touch position pos, final score `score`) as a result. */
static void put_result(const pos_engine *e, const pos_scratch *s, const pos_learned *l,
                       int32_t c, int32_t pos, double score, pos_suggestion *o)
{
    const cand_info_t *x = &s->cand[pos];   /* made by rec before the caller's caps */
    int mined = x->kind == POS_KIND_CROSS
                && (x->source == POS_SOURCE_MINED || x->source == POS_SOURCE_SIMILAR);
    o->item = c;
    o->kind = x->kind;
    o->score = score;
    o->price_or_step = mined ? e->price[c] : x->value;
    o->anchor = x->best_anchor;
    o->anchor_count = x->best_anchor >= 0 ? e->count[x->best_anchor] : 0;
    if (x->source == POS_SOURCE_SIMILAR) {   /* held by pair_count of the anchor_count neighbours */
        o->anchor_count = s->knn_picked;
        o->pair_count = s->knn_n[pos];
    } else if (l && x->best_anchor >= 0) {   /* the combined counts */
        const learned_entry *y = learned_find(l, x->best_anchor, c);
        o->anchor_count += l->dc[x->best_anchor];
        o->pair_count = y ? y->mined_count + y->dc
                        : mined ? from_pair(e, s, s->acc[pos].from) : pair_count(e, x->best_anchor, c);
    } else {
        o->pair_count = x->best_anchor < 0 ? 0
                        : mined ? from_pair(e, s, s->acc[pos].from) : pair_count(e, x->best_anchor, c);
    }
    o->source = x->source;
    o->index = x->index;
    o->personal = x->personal;
}

/* 1 when no candidate among s->touched[from..to) can be taken under the
 * category cap after out[0..got): each is in a category that has
 * max_per_category results already (conservative: 0 for one without a
 * category, or in a category short of it, even if it is in out or not
 * eligible). One category (a catch-all) is one count. */
static int all_category_capped(const pos_engine *e, const pos_scratch *s,
                               const pos_score_config *cf, const pos_suggestion *out,
                               size_t got, size_t from, size_t to)
{
    int32_t capped = -1;   /* the last category found at the cap */
    for (size_t t = from; t < to; t++) {
        int32_t cat = e->category[s->touched[t]];
        if (cat == capped)
            continue;
        if (cat < 0)
            return 0;
        int32_t n = 0;
        for (size_t i = 0; i < got; i++)
            n += e->category[out[i].item] == cat;
        if (n < cf->max_per_category)
            return 0;
        capped = cat;
    }
    return 1;
}

/* 1 when the strict caps refuse item c (a rule's when is_rule) after out[0..got):
 * max_per_family of its family, or max_rules rules, are there already. */
static int caps_refuse(const pos_engine *e, const pos_score_config *cf, const pos_suggestion *out,
                       size_t got, int32_t c, int is_rule)
{
    int32_t fam = e->family[c], same_fam = 0, rules = 0;
    for (size_t j = 0; j < got; j++) {
        same_fam += fam >= 0 && e->family[out[j].item] == fam;
        rules += out[j].source == POS_SOURCE_RULE;
    }
    return same_fam >= cf->max_per_family || (is_rule && rules >= cf->max_rules);
}

/* Ranks from the candidates h[0..nh) (reordered in place): pops the best until
 * k are accepted under the diversity caps, into out; returns how many.
 *
 * The family and rules caps are strict; the category cap is a preference: a
 * candidate skipped only for its category (its family and the rules cap
 * allowing it then) is kept aside, and once every candidate has been popped
 * with fewer than k accepted, the ones kept aside fill the list, in score
 * order, under the family and rules caps alone (after the diverse ones). A
 * candidate skipped for its family or the rules cap stays out: the counts
 * only grow. The ones kept aside go into the tail of h that the pops free
 * (h[end - 1], h[end - 2], ...: each pop frees a slot before it can keep one
 * aside), so no other buffer is needed, whatever k.
 *
 * With a floor, h holds only the best candidates by heap score, and every one
 * left out ranks at or after the floor (the worst kept) by that score, so by
 * its exact score too (never above the bound). Each candidate popped exact
 * that ranks at or before the floor is then the same one a heap of all
 * candidates would give; the first that ranks after it stops the run: -1, and
 * the caller ranks from all of them; so does running out of candidates
 * before k are accepted (the ones left out may be accepted before any fill).
 * Except, in both cases, when every candidate is in a category at its cap
 * already (a catch-all category): then none of those not popped can be
 * accepted, and the ones kept aside rank before all of them, so they fill
 * exactly as from all candidates, as long as they reach k (else -1 too). */
static long take_top(const pos_engine *e, pos_scratch *s, const final_t *f,
                     const pos_score_config *cf, const pos_learned *l, cand_t *h, size_t nh,
                     const cand_t *floor, size_t k, pos_suggestion *out, size_t t_from,
                     size_t t_to)
{
    for (size_t i = nh / 2; i-- > 0;)
        sift_down(h, nh, i);
    const size_t end = nh;    /* h[end - 1 - j]: the j-th kept aside, j < n_aside */
    size_t got = 0, n_aside = 0;
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
            break;   /* got < k: decided below */
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
        if (same_fam >= cf->max_per_family || (x->source == POS_SOURCE_RULE && rules >= cf->max_rules))
            continue;
        if (same_cat >= cf->max_per_category) {
            h[end - 1 - n_aside++] = top;   /* free: n_aside < the pops so far = end - nh */
            continue;
        }
        put_result(e, s, l, c, pos, top.score, &out[got++]);
    }
    int open = floor && got < k;   /* stopped at the floor, or ran out */
    if (open && !all_category_capped(e, s, cf, out, got, t_from, t_to))
        return -1;   /* the ones not popped may hold more */
    for (size_t j = 0; j < n_aside && got < k; j++) {   /* the fill */
        const cand_t *t = &h[end - 1 - j];
        int32_t c = t->item;
        int32_t pos = s->mark[c].pos;
        if (caps_refuse(e, cf, out, got, c, s->cand[pos].source == POS_SOURCE_RULE))
            continue;
        put_result(e, s, l, c, pos, t->score, &out[got++]);
    }
    if (open && got < k)   /* the ones not popped may fill more */
        return -1;
    return (long)got;
}

/* h ranks before g among the repeat items: bought in more baskets, then more
 * recently, then the lower item. */
static int repeat_before(const pos_customer_item *h, const pos_customer_item *g)
{
    if (h->baskets != g->baskets)
        return h->baskets > g->baskets;
    if (h->last_time != g->last_time)
        return h->last_time > g->last_time;
    return h->item < g->item;
}

/* The personal re-rank: up to personal_slots of the customer's repeat items
 * (bought in >= 2 baskets; a ranked candidate: eligible, not in the basket or
 * excluded) first, best by repeat_before, under the family and rules caps;
 * then the ranked list ranked[0..n) (k + slots long) without them and without
 * an item those caps now refuse, to k = q->k results in out. Returns how many. */
static size_t personal_first(const pos_engine *e, pos_scratch *s, const final_t *f,
                             const pos_score_request *q, size_t n_pre,
                             const pos_suggestion *ranked, size_t n, pos_suggestion *out)
{
    const pos_score_config *cf = &q->config;
    size_t k = (size_t)q->k, got = 0;
    size_t n_front = 0;
    while (n_front < (size_t)cf->personal_slots && got < k) {
        const pos_customer_item *best = NULL;
        int32_t best_pos = -1;
        for (int32_t i = 0; i < q->n_history; i++) {
            const pos_customer_item *h = &q->history[i];
            const mark_t *m = &s->mark[h->item];
            if (h->baskets < 2 || m->stamp != f->epoch || (size_t)m->pos < n_pre)
                continue;
            int taken = 0;
            for (size_t j = 0; j < got; j++)
                taken |= out[j].item == h->item;
            if (taken || (best && !repeat_before(h, best)))
                continue;
            const cand_info_t *x = rec(s, (size_t)m->pos);
            if (!x->has || !resolve(e, s, (size_t)m->pos)
                || caps_refuse(e, cf, out, got, h->item, x->source == POS_SOURCE_RULE))
                continue;
            best = h;
            best_pos = m->pos;
        }
        if (!best)
            break;
        const cand_info_t *x = &s->cand[best_pos];
        put_result(e, s, q->learned, best->item, best_pos,
                   final_score(e, s, f, best->item, x->best * x->mult), &out[got++]);
        n_front++;
    }
    size_t front = got;
    for (size_t i = 0; i < n && got < k; i++) {
        int taken = 0;
        for (size_t j = 0; j < front; j++)
            taken |= out[j].item == ranked[i].item;
        if (!taken && !caps_refuse(e, cf, out, got, ranked[i].item,
                                   ranked[i].source == POS_SOURCE_RULE))
            out[got++] = ranked[i];
    }
    return got;
}

int pos_engine_score(const pos_engine *e, pos_scratch *s, const pos_score_request *q,
                     pos_suggestion *out, size_t cap, size_t *n_out)
{
    if (n_out)
        *n_out = 0;
    if (!e || !s || !q || !n_out || s->engine != e || q->k < 0 || q->n_basket < 0
        || q->n_declined < 0 || q->n_history < 0 || q->customer_baskets < 0
        || (q->n_basket && !q->basket_items) || (q->n_declined && !q->declined)
        || (q->n_history && !q->history) || (q->k && !out) || !valid_config(&q->config)
        || (q->learned && q->learned->engine != e))
        return POS_EINVAL;
    if (e->n_pending)
        return POS_ESTATE;
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
    uint64_t lstamp = q->learned ? q->learned->stamp : 0;
    if (!(K == s->cache_k) || !(beta == s->cache_beta) || lstamp != s->cache_learned) {
        s->cache_k = K;
        s->cache_beta = beta;
        s->cache_learned = lstamp;
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
    const pos_learned *L = q->learned;
    nt = L ? cross_sums_learned(e, s, L, nb, K, beta, q->now, nt) : cross_sums(e, s, nb, K, beta, nt);
    nt = aggregate_and_blend(e, s, cf, nb, n_pre, nt);
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
        x->source = x->source == POS_SOURCE_SIMILAR ? POS_SOURCE_SIMILAR : POS_SOURCE_MINED;
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
            propose(e, s, touch(e, s, u, 1, &nt),
                    L ? score * learned_damping(L, anchor, u, q->now) : score, POS_KIND_CROSS,
                    POS_SOURCE_RULE, anchor, r, e->price[u]);
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
                propose(e, s, touch(e, s, u, 1, &nt),
                        L ? score * learned_damping(L, a, u, q->now) : score, POS_KIND_UPSELL,
                        POS_SOURCE_RULE, a, r, step);
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
            double score = sref * cf->upsell_weight * share;
            if (L)
                score *= learned_damping(L, a, u, q->now);
            propose(e, s, touch(e, s, u, 1, &nt), score, POS_KIND_UPSELL, e->up_source[j], a, -1,
                    step);
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
            propose(e, s, touch(e, s, missing, 1, &nt),
                    L ? sref * cf->bundle_weight * learned_damping(L, anchor, missing, q->now)
                      : sref * cf->bundle_weight,
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
     * large for it; all of them into s->heap only when s->sel cannot decide.
     * With the personal re-rank, k + slots are ranked into s->ranked first. */
    size_t k = (size_t)q->k;
    pos_suggestion *final_out = out;
    size_t slots = (size_t)cf->personal_slots;
    int rerank = slots > 0 && q->n_history > 0 && k > 0;
    if (rerank) {
        k += slots;
        if (s->ranked_cap < k) {
            pos_suggestion *grown = realloc(s->ranked, k * sizeof *grown);
            if (!grown)
                return POS_ENOMEM;
            s->bytes += (k - s->ranked_cap) * sizeof *grown;
            s->ranked = grown;
            s->ranked_cap = k;
        }
        out = s->ranked;
    }
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
            got = take_top(e, s, &f, cf, q->learned, s->sel, ns, dropped ? &floor : NULL, k, out,
                           n_pre, nt);
        }
    }
    if (got < 0) {
        size_t nh = 0;
        for (size_t t = n_pre; t < nt; t++)
            nh += (size_t)heap_entry(e, s, &f, t, &s->heap[nh]);
        got = take_top(e, s, &f, cf, q->learned, s->heap, nh, NULL, k, out, n_pre, nt);
    }
    if (rerank)
        got = (long)personal_first(e, s, &f, q, n_pre, out, (size_t)got, final_out);
    *n_out = (size_t)got;
    return POS_OK;
}
