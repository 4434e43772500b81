/* pos_core.h: the public C API of the pos native core.
 *
 * Two parts, both used by the nightly load (and later by the till):
 *   - the basket-history parser: reads baskets.csv bytes fast, validates every
 *     line and maps skus and basket ids to dense indexes;
 *   - the miner: per-item basket counts, pair co-occurrence counts, and each
 *     item's top-N neighbours by an association measure; batch or incremental.
 * Then the customer history, and for the till the scorer (suggestion engine)
 * with its learning overlay (the day's sales and declines).
 *
 * Conventions, for every function:
 *   - the return value is a status: POS_OK (0) or a POS_E* code; pos_strerror()
 *     gives its message;
 *   - results go into buffers the caller owns and sizes (a *_count / *_size
 *     call says how big); the only memory the core allocates is the state
 *     behind an opaque handle, freed by its *_free function;
 *   - a handle is not thread-safe unless its function says so.
 */
#ifndef POS_CORE_H
#define POS_CORE_H

#include <stddef.h>
#include <stdint.h>

/* ---- statuses ---------------------------------------------------------- */
#define POS_OK 0
#define POS_ENOMEM 1     /* out of memory */
#define POS_EINVAL 2     /* an argument is invalid (NULL, negative, out of range) */
#define POS_ESTATE 3     /* call not allowed in the handle's current state */
#define POS_ERANGE 4     /* an index is out of range */
#define POS_ESPACE 5     /* the caller's buffer is too small */
#define POS_EOVERFLOW 6  /* a count would overflow its type */

const char *pos_strerror(int status);

/* ---- basket-history parser --------------------------------------------- */

/* Row problems the parser reports (pos_row_error.code). */
#define POS_ROW_FIELD_COUNT 1    /* wrong number of fields */
#define POS_ROW_ENCODING 2       /* bytes that are not UTF-8 */
#define POS_ROW_EMPTY 3          /* a required field is empty */
#define POS_ROW_UNKNOWN_SKU 4    /* sku not in the catalog */
#define POS_ROW_QUANTITY 5       /* quantity not a number */
#define POS_ROW_QUANTITY_SIGN 6  /* quantity zero or negative */
#define POS_ROW_TIMESTAMP 7      /* timestamp not ISO 8601 */
#define POS_ROW_CUSTOMER 8       /* customer differs from the basket's earlier lines */
#define POS_ROW_QUOTE 9          /* unterminated or misplaced quote */
#define POS_ROW_TOO_LONG 10      /* a field over 255 bytes */
#define POS_ROW_TOO_EARLY 11     /* timestamp before the limits' time_min */
#define POS_ROW_TOO_LATE 12      /* timestamp after the limits' time_max */
#define POS_ROW_QUANTITY_MAX 13  /* quantity above the ceiling of its item's unit */

typedef struct {
    int64_t line;        /* 1-based physical line number in the file */
    int32_t code;        /* POS_ROW_* */
    int32_t column;      /* 0-based column index the problem is in, -1 for the whole row */
    int64_t row_start;   /* byte range of the whole row in the chunk just fed */
    int64_t row_end;     /* (excluding its line terminator) */
    int64_t field_start; /* byte range of the offending field in that chunk, */
    int64_t field_end;   /* or both -1 (a quoted field's range includes its quotes) */
    int64_t detail;      /* by code: POS_ROW_FIELD_COUNT the fields found;
                            POS_ROW_ENCODING the offset in the chunk of the first
                            byte of the invalid sequence; POS_ROW_CUSTOMER the
                            dense index of the basket's earlier customer;
                            POS_ROW_QUOTE the offset of the byte after a closing
                            quote that is not a delimiter (-1: quote not closed);
                            POS_ROW_TOO_EARLY and POS_ROW_TOO_LATE the line's time
                            (UTC seconds); POS_ROW_QUANTITY_MAX the item;
                            otherwise -1 */
} pos_row_error;

typedef struct {
    int32_t delimiter;     /* ',' ';' or '\t' */
    int32_t n_columns;     /* fields per row, from the header */
    int32_t col_basket;    /* column indexes; -1 when the column is absent */
    int32_t col_sku;
    int32_t col_quantity;
    int32_t col_timestamp;
    int32_t col_customer;  /* optional */
    int64_t first_line;    /* line number of the first byte fed (the line after the header) */
    /* Naive (offset-less) timestamps are local time of the store. The table maps
     * local time to UTC: from local second tz_local_start[i] on, UTC = local -
     * tz_offset[i]. n_tz = 0 means naive times are UTC. Sorted ascending. */
    int32_t n_tz;
    const int64_t *tz_local_start;
    const int32_t *tz_offset;
} pos_basket_format;

typedef struct pos_parser pos_parser;

/* The format is copied; the tz arrays too. */
int pos_parser_new(const pos_basket_format *format, pos_parser **out);
void pos_parser_free(pos_parser *parser);

/* Plausibility limits of a line (pos_parser_set_limits); a new parser has none. */
typedef struct {
    int64_t time_min;        /* UTC seconds: an earlier line is POS_ROW_TOO_EARLY */
    int64_t time_max;        /* a later line is POS_ROW_TOO_LATE; time_min <= time_max */
    double quantity_max;     /* a line's quantity above it is POS_ROW_QUANTITY_MAX ... */
    double weight_max;       /* ... or above this one for a weighed item; both > 0 */
    int32_t n_weighed;       /* the weighed items' indexes (as given to add_sku; copied) */
    const int32_t *weighed;
} pos_basket_limits;

/* Sets the limits for the lines fed from now on (copied). Bad limits: POS_EINVAL. */
int pos_parser_set_limits(pos_parser *parser, const pos_basket_limits *limits);

/* Registers a catalog sku (bytes, not NUL-terminated) as dense item index `item`.
 * Call for every accepted catalog row before feeding. A repeated sku: POS_EINVAL. */
int pos_parser_add_sku(pos_parser *parser, const char *sku, size_t len, int32_t item);

/* Parses the complete lines at the start of buf[0..len). With final = 0 an
 * incomplete last line is left unconsumed (*consumed says how many bytes were
 * used: feed the rest again, followed by more data); with final = 1 everything
 * is parsed. Line endings: LF or CRLF. Quoted fields (RFC 4180) are supported,
 * but a quoted field may not span lines. Empty lines are skipped. A rejected
 * line gives one pos_row_error, for its first problem (checks: parser.c).
 * After each feed, read this chunk's problems with pos_parser_errors before
 * the next feed: their byte ranges are relative to this buf. Feeding may go on
 * after stats or baskets were taken; they then include the new lines. */
int pos_parser_feed(pos_parser *parser, const char *buf, size_t len, int final,
                    size_t *consumed);

/* Problems found by the last feed: *n_out = how many there are; up to `cap`
 * are copied into `out`. */
int pos_parser_errors(const pos_parser *parser, pos_row_error *out, size_t cap,
                      size_t *n_out);

/* `items` needs the baskets' repeats merged: the first stats or baskets call
 * after new lines were fed builds the baskets (O(lines)); later calls reuse them. */
typedef struct {
    int64_t lines;        /* data lines seen (not counting empty ones) */
    int64_t lines_ok;     /* lines accepted */
    int64_t baskets;      /* distinct basket ids among accepted lines */
    int64_t customers;    /* distinct customer ids among accepted lines */
    int64_t items;        /* basket-item entries after merging repeated skus in a basket */
    int64_t min_time;     /* UTC seconds over accepted lines (0 when none) */
    int64_t max_time;
} pos_parser_stats;

int pos_parser_stats_get(const pos_parser *parser, pos_parser_stats *out);

/* The accepted baskets, in order of first appearance, as CSR arrays sized from
 * the stats: offsets[baskets + 1], items[items] (each basket's items sorted
 * ascending, no repeats), times[baskets] (UTC seconds, the earliest line of the
 * basket), customers[baskets] (dense customer index or -1). Any output pointer
 * may be NULL to skip it. */
int pos_parser_baskets(const pos_parser *parser, int64_t *offsets, int32_t *items,
                       int64_t *times, int32_t *customers);

/* The id of basket `index` (or customer `index`) as bytes: copied into buf
 * (not NUL-terminated) when it fits, *len_out = its length either way. */
int pos_parser_basket_id(const pos_parser *parser, int64_t index, char *buf,
                         size_t cap, size_t *len_out);
int pos_parser_customer_id(const pos_parser *parser, int64_t index, char *buf,
                           size_t cap, size_t *len_out);

/* ---- miner --------------------------------------------------------------- */

typedef struct {
    int32_t top_n;            /* neighbours kept per item (default 100) */
    int32_t size_cap;         /* baskets of up to this many items weigh 1; larger
                                 ones weigh (size_cap-1)/(n-1) (default 30) */
    int32_t min_count;        /* a pair must co-occur in at least this many baskets */
    int32_t n_workers;        /* scratch spaces for concurrent pos_miner_count calls */
    double half_life_days;    /* recency: weight halves every this many days before
                                 ref_time; 0 = no recency weighting */
    int64_t ref_time;         /* UTC seconds the recency weights are relative to */
    double shrinkage;         /* K in the association measure (default 5) */
    double rank_damping;      /* beta of POS_RANK_DAMPED, in [0, 16]; with the other
                                 rankings it must be < 0 (-1: "no beta"), so that a
                                 caller that only sets a beta is refused, not
                                 silently ranked by added value */
    int32_t list_rank;        /* how lists are ranked, a POS_RANK_* (docs/mining.md) */
} pos_mine_params;

/* pos_mine_params.list_rank. With conf_s = w_ab/(w_a+K) (shrunk confidence) and
 * p_b = (w_b+K)/(W+K) (shrunk base rate), a's list keeps its top_n partners with
 * c_ab >= min_count and score > 0, by score descending, then item ascending: */
#define POS_RANK_ADDED_VALUE 0  /* score = conf_s - w_b/W (pairs below their base rate
                                   are dropped) */
#define POS_RANK_DAMPED 1       /* score = conf_s / p_b^beta, beta = rank_damping */
#define POS_RANK_BALANCED 2     /* score = max(conf_s / max conf_s, lift_s / max lift_s),
                                   lift_s = conf_s / p_b, each max over a's partners
                                   with c_ab >= min_count: in (0, 1] */

typedef struct {
    int32_t item;     /* neighbour's dense index */
    uint32_t count;   /* baskets holding both items (raw) */
    float weight;     /* the same, weighted (recency x basket size) */
    float score;      /* the association measure the list is ranked by */
} pos_neighbour;

typedef struct {
    int64_t baskets;         /* baskets counted (raw) */
    double weight;           /* their total weight */
    int64_t pairs;           /* distinct co-occurring pairs seen in the counted baskets */
    int64_t neighbours;      /* neighbour entries kept, all items */
} pos_miner_stats;

typedef struct pos_miner pos_miner;

int pos_miner_new(const pos_mine_params *params, int32_t n_items, pos_miner **out);
void pos_miner_free(pos_miner *miner);

/* Incremental path: restores one item's counts and neighbour list as a previous
 * load stored them (entries ranked as stored). Call before staging baskets. */
int pos_miner_restore_item(pos_miner *miner, int32_t item, uint32_t count,
                           double weight, const pos_neighbour *entries, int32_t n);
int pos_miner_restore_totals(pos_miner *miner, int64_t baskets, double weight);

/* Stages baskets (CSR as from the parser; items sorted, no repeats; times in
 * UTC seconds, or NULL for weight-1 baskets) and adds them to the item counts.
 * Then count every item range once with pos_miner_count, then pos_miner_commit. */
int pos_miner_stage(pos_miner *miner, int64_t n_baskets, const int64_t *offsets,
                    const int32_t *items, const int64_t *times);

/* Merges the staged baskets' pair counts into the neighbour lists of items
 * [item_from, item_to) and reselects each list's top N. Calls on disjoint
 * ranges with different workers (0 <= worker < n_workers) may run at once. */
int pos_miner_count(pos_miner *miner, int32_t item_from, int32_t item_to,
                    int32_t worker);

/* Ends the staging round: drops the staged baskets, rescoring every list with
 * the final item counts. */
int pos_miner_commit(pos_miner *miner);

int pos_miner_stats_get(const pos_miner *miner, pos_miner_stats *out);

/* Per item: counts[n_items], weights[n_items]. */
int pos_miner_item_counts(const pos_miner *miner, uint32_t *counts, double *weights);

/* Neighbour lists as CSR: offsets[n_items + 1], entries[stats.neighbours];
 * each list ranked by score descending, ties by item ascending. */
int pos_miner_neighbours(const pos_miner *miner, int64_t *offsets,
                         pos_neighbour *entries);

/* ---- precomputed lists: a dump's mined/neighbours.csv ---------------------- */

/* The reader settles the plainly good rows of neighbours.csv in C and hands
 * every other row back to its caller (pos/chain/part_reader.py), which checks
 * it with the reference row check (pos/chain/part.py) and tells the reader
 * what the row did (pos_part_reader_begin, pos_part_reader_add). So the C code
 * never rejects a row: it accepts one (every check of docs/dump-format.md,
 * "Precomputed lists", passed), skips one (a region's or the chain's part: a
 * sku the store does not carry), or holds it for the caller. */

typedef struct {
    int32_t delimiter;    /* ',' ';' or '\t' */
    int32_t n_columns;    /* fields per row, from the header */
    int32_t col_sku;      /* column indexes */
    int32_t col_partner;
    int32_t col_count;
    int32_t col_weight;
    int32_t col_score;
    int32_t top_n;        /* partners a list may have, >= 1 */
    int32_t shared;       /* 1: a region's or the chain's part (rows naming a sku
                             not registered at all are skipped and counted) */
    int32_t n_items;      /* the catalog's dense items 0 .. n_items - 1 */
    int64_t first_line;   /* line number of the first byte fed (the line after the header) */
} pos_part_format;

/* One accepted neighbour: the list's item is implied by the CSR offsets. */
typedef struct {
    int64_t count;        /* baskets holding both, >= 1 */
    double weight;        /* their weight, finite >= 0 (as read: a double) */
    double score;         /* finite > 0 (as read) */
    int32_t item;         /* the partner's dense index */
    int32_t pad;
} pos_part_entry;

/* A row the reader did not settle (pos_part_reader_feed): line 0 = none. */
typedef struct {
    int64_t line;         /* its line number */
    int64_t start;        /* its bytes in the chunk fed: [start, end), without */
    int64_t end;          /* the line terminator; */
    int64_t next;         /* the offset after its terminator (feed on from there) */
} pos_part_held;

/* The list being read (pos_part_reader_state). */
typedef struct {
    int32_t current;      /* the item whose list the rows before began; -1 none yet,
                             -2 a sku text that is not a carried item (the caller
                             keeps which) */
    int32_t has_last;     /* 1 when last_score holds the list's last accepted score */
    double last_score;
    int64_t rows;         /* rows settled in C (accepted + skipped) */
    int64_t skipped;      /* of them, skipped: skus a shared part's store does not carry */
    int64_t entries;      /* entries accepted (by C and by the caller) */
} pos_part_state;

/* One item's part of the reading state (pos_part_reader_item). */
typedef struct {
    int64_t started;      /* line its list started on, 0 = not yet */
    int32_t n_entries;    /* entries accepted into its list */
    int32_t listed;       /* 1 when it is a partner in the current list */
} pos_part_item;

typedef struct pos_part_reader pos_part_reader;

/* The format is copied. Bad format: POS_EINVAL. */
int pos_part_reader_new(const pos_part_format *format, pos_part_reader **out);
void pos_part_reader_free(pos_part_reader *reader);

/* Registers a catalog sku (bytes, not NUL-terminated) as dense item `item`, or
 * with item = -1 as a sku the catalog rejected (never accepted; in a shared
 * part not skipped either). A repeated or empty sku, or one over 255 bytes: POS_EINVAL. */
int pos_part_reader_add_sku(pos_part_reader *reader, const char *sku, size_t len,
                            int32_t item);

/* The baskets item_stats.csv gives each item (baskets[n_items], copied; 0 for
 * an item it does not list): a pair's count may not exceed either item's. */
int pos_part_reader_set_baskets(pos_part_reader *reader, const int64_t *baskets);

/* Reads the complete lines at the start of buf[0..len) (with final = 1 all of
 * it; line ends LF or CRLF; whitespace-only lines skipped), settling each row,
 * until one it does not settle: then *held says where that row is, and
 * *consumed is its start. The caller checks the held row, then feeds on from
 * held->next. Without a held row (held->line = 0) *consumed says how much was
 * used: feed the rest again, followed by more data. */
int pos_part_reader_feed(pos_part_reader *reader, const char *buf, size_t len, int final,
                         size_t *consumed, pos_part_held *held);

/* Feeding counts lines: after a held row the next feed must start at its
 * held->next (the reader counts the held row's line itself). */
int pos_part_reader_state(const pos_part_reader *reader, pos_part_state *out);
int pos_part_reader_item(const pos_part_reader *reader, int32_t item, pos_part_item *out);

/* The caller's check of a held row began a new list: of `item`, or (-2) of a
 * sku text that is not a carried item; `line` is the row's. The list's
 * partners and last score start empty; an item's started line is set. */
int pos_part_reader_begin(pos_part_reader *reader, int32_t item, int64_t line);

/* The caller accepted a held row: `entry` appended to `item`'s list, which must
 * be the current list (POS_ESTATE otherwise, or when it has top_n entries). */
int pos_part_reader_add(pos_part_reader *reader, int32_t item, const pos_part_entry *entry);

/* The accepted lists as CSR over the items: offsets[n_items + 1],
 * entries[state.entries], each list in the order its rows came. */
int pos_part_reader_lists(const pos_part_reader *reader, int64_t *offsets,
                          pos_part_entry *entries);

/* Restores a part into a miner in one call (miner.c), as pos/chain/prior.py
 * describes: totals (baskets x s rounded half up, weight x s); each item with
 * counts[i] >= 0 (-1: not in the part) gets count x s rounded half up, weight x s,
 * and its list entries[first[i] .. first[i] + n[i]) (CSR: first = offsets, n[i]
 * = offsets[i + 1] - offsets[i]) with counts x s rounded half up (a pair
 * rounding to 0 dropped), weights x s, scores as float, re-ranked by score
 * descending then item ascending. Every item as pos_miner_restore_item checks
 * (POS_EINVAL for a bad entry, POS_EOVERFLOW for a count over UINT32_MAX or a
 * score beyond float); items before a failing one stay restored. */
int pos_miner_restore_lists(pos_miner *miner, int64_t baskets, double weight, double s,
                            const int64_t *counts, const double *weights,
                            const int64_t *first, const int32_t *n,
                            const pos_part_entry *entries);

/* The reader's accepted lists restored into `miner` (pos_miner_restore_lists
 * over the reader's own entries: no copy). */
int pos_part_reader_restore(const pos_part_reader *reader, pos_miner *miner, int64_t baskets,
                            double weight, double s, const int64_t *counts,
                            const double *weights);

/* Registers n catalog skus at once: sku i is bytes[ends[i - 1] .. ends[i])
 * (ends[-1] = 0) as item items[i] (as pos_part_reader_add_sku, which see). */
int pos_part_reader_add_skus(pos_part_reader *reader, const char *bytes, const int64_t *ends,
                             const int32_t *items, int64_t n);

/* ---- customer history ----------------------------------------------------- */

/* What one loyalty customer bought: an item, in how many baskets, and when last. */
typedef struct {
    int32_t item;
    uint32_t baskets;
    int64_t last_time;   /* UTC seconds */
} pos_customer_item;

typedef struct pos_history pos_history;

/* Aggregates baskets (CSR as from the parser: items sorted without repeats;
 * times may be NULL = 0) by customer: customers[b] is basket b's dense customer
 * index in [0, n_customers) or -1 for none. The inputs are not kept. */
int pos_history_new(int64_t n_baskets, const int64_t *offsets, const int32_t *items,
                    const int64_t *times, const int32_t *customers, int32_t n_customers,
                    pos_history **out);
void pos_history_free(pos_history *history);

/* Number of (customer, item) entries. */
int pos_history_size(const pos_history *history, int64_t *n_entries);

/* CSR over customers: offsets[n_customers + 1], entries[n_entries], each
 * customer's items ascending. */
int pos_history_get(const pos_history *history, int64_t *offsets, pos_customer_item *entries);

/* ---- scorer (suggestion engine) ------------------------------------------- */

/* The formula and its reasons: docs/scoring.md. An engine is built once per
 * store from arrays (copied) and is read-only afterwards: pos_engine_score may
 * run concurrently on one engine from several threads, each with its own
 * scratch. A scratch is not thread-safe. */

#define POS_ITEM_ACTIVE 1           /* pos_engine_data.flags bits */
#define POS_ITEM_IN_STOCK 2         /* stock unknown or > 0 */
#define POS_ITEM_AGE_RESTRICTED 4
#define POS_ITEM_DURABLE 8

#define POS_KIND_CROSS 1            /* suggestion kinds; also rule kinds */
#define POS_KIND_UPSELL 2
#define POS_KIND_BUNDLE 3
#define POS_RULE_CAMPAIGN 3         /* rule kind 3 is a campaign */

#define POS_SOURCE_MINED 0
#define POS_SOURCE_RULE 1
#define POS_SOURCE_LADDER 2
#define POS_SOURCE_UPGRADE 3
#define POS_SOURCE_BUNDLE 4
#define POS_SOURCE_SIMILAR 5        /* a cross-sell found only by the similar recent baskets */

#define POS_AGGREGATE_SUM 0         /* pos_score_config.aggregate */
#define POS_AGGREGATE_MAX 1

typedef struct pos_engine pos_engine;
typedef struct pos_scratch pos_scratch;
typedef struct pos_learned pos_learned;

/* Everything the engine is built from; struct of arrays, all copied. */
typedef struct {
    int32_t n_items;
    const int64_t *price;           /* [n_items] minor units, >= 0 */
    const int64_t *cost;            /* [n_items] minor units, -1 = unknown */
    const uint8_t *flags;           /* [n_items] POS_ITEM_* */
    const int32_t *family;          /* [n_items] family id >= 0, or -1 */
    const int32_t *tier;            /* [n_items] tier (ignored when family is -1) */
    const int32_t *category;        /* [n_items] category id, or -1 */
    const uint32_t *count;          /* [n_items] raw basket count c_a */
    const double *weight;           /* [n_items] weighted count w_a */
    int32_t n_categories;
    const int32_t *category_parent; /* [n_categories] parent id (< own id) or -1 */
    int64_t n_baskets;              /* N */
    double total_weight;            /* W */
    const int64_t *nb_offsets;      /* [n_items + 1] neighbour CSR (lists of < 2^32 entries) */
    const pos_neighbour *nb_entries;
    int32_t n_upgrades;             /* explicit upgrade edges */
    const int32_t *upgrade_from;
    const int32_t *upgrade_to;
    int32_t n_bundles;
    const int64_t *bundle_offsets;  /* [n_bundles + 1] into bundle_items/bundle_qty */
    const int32_t *bundle_items;
    const int32_t *bundle_qty;      /* units of the member in the deal, >= 1 */
    const int64_t *bundle_saving;   /* [n_bundles] minor units */
    const int64_t *bundle_from;     /* [n_bundles] validity, UTC seconds, inclusive */
    const int64_t *bundle_to;       /* (INT64_MIN / INT64_MAX when open) */
    int32_t n_rules;
    const int32_t *rule_trigger_item;      /* [n_rules] item or -1 */
    const int32_t *rule_trigger_category;  /* [n_rules] category or -1 */
    const int32_t *rule_item;
    const int32_t *rule_kind;              /* POS_KIND_CROSS, POS_KIND_UPSELL, POS_RULE_CAMPAIGN */
    const int32_t *rule_priority;
    const double *rule_boost;              /* > 0 */
    const int64_t *rule_from;
    const int64_t *rule_to;
    /* The store's recent baskets, oldest first, for the similar-baskets term
     * (docs/scoring.md): CSR, recent_offsets[n_recent + 1] into recent_items,
     * each basket's items ascending without repeats. n_recent = 0: none. */
    int64_t n_recent;               /* < 2^31 */
    const int64_t *recent_offsets;
    const int32_t *recent_items;
} pos_engine_data;

typedef struct {
    double shrinkage;          /* K */
    double pop_damping;        /* beta */
    double personal_weight;    /* lambda */
    double category_affinity;  /* delta */
    double margin_weight;      /* mu */
    double upsell_cap;         /* max price step / line price */
    double upsell_weight;
    double bundle_weight;
    double durable_days;
    int32_t max_per_family;   /* items of one family among the results (strict), >= 1 */
    int32_t max_per_category; /* of one category (>= 1): a preference; candidates skipped
                                 only for it fill a list that ends short of k */
    int32_t max_rules;        /* manager-pinned (rule) suggestions among the results, >= 0 */
    int32_t aggregate;        /* POS_AGGREGATE_SUM or _MAX: rel(a -> c) over the basket */
    double knn_weight;        /* lambda_knn in [0, 1]: the similar-baskets term's share */
    int32_t knn_recent;       /* M >= 1: per basket item, its newest M recent baskets */
    int32_t knn_neighbours;   /* S >= 1: the most similar of them that vote */
    int32_t knn_idf;          /* 0 or 1: the overlap weighs each shared item by its idf */
    int32_t knn_power;        /* 1..3: each neighbour votes sim^power */
    int32_t personal_slots;   /* 0..8: the customer's repeat items put first (re-rank) */
} pos_score_config;

typedef struct {
    int32_t n_basket;
    const int32_t *basket_items;    /* repeats are merged (quantities added) */
    const double *basket_qty;       /* > 0; NULL = 1 each */
    int32_t n_declined;
    const int32_t *declined;
    int32_t n_history;              /* 0 = no customer */
    const pos_customer_item *history;
    int64_t customer_baskets;       /* the customer's basket total */
    int64_t now;                    /* UTC seconds */
    int32_t k;
    pos_score_config config;
    const pos_learned *learned;     /* today's overlay (see below), or NULL = none */
} pos_score_request;

typedef struct {
    int32_t item;
    int32_t kind;             /* POS_KIND_* */
    double score;
    int64_t price_or_step;    /* upsell: price step; bundle: saving; else price */
    int32_t anchor;           /* basket item that explains it, or -1 */
    uint32_t anchor_count;    /* c_anchor */
    uint32_t pair_count;      /* raw co-count of anchor and item (0 if not listed) */
    int32_t source;           /* POS_SOURCE_* */
    int32_t index;            /* rule or bundle index, or -1 */
    int32_t personal;         /* 1 when the customer's history added to it */
} pos_suggestion;


int pos_engine_new(const pos_engine_data *data, pos_engine **out);
/* With data->nb_entries NULL (and nb_offsets as usual) the neighbour lists
 * follow the engine, one item at a time, so that a caller streaming them from
 * storage never holds them twice: each non-empty list is passed exactly once,
 * with exactly its nb_offsets length (POS_EINVAL otherwise; POS_ESTATE for a
 * list already given, empty, or an engine made with its lists). Until the last
 * list is in, pos_engine_score and pos_learned_new return POS_ESTATE. Not
 * concurrent with any other call on the engine. */
int pos_engine_set_neighbours(pos_engine *engine, int32_t item, const pos_neighbour *entries,
                              size_t n);
void pos_engine_free(pos_engine *engine);
/* The bytes an engine holds (its arrays and the neighbour index; no scratch). */
size_t pos_engine_memory(const pos_engine *engine);

/* A per-thread workspace (dense per-item accumulators) for one engine. */
int pos_scratch_new(const pos_engine *engine, pos_scratch **out);
void pos_scratch_free(pos_scratch *scratch);
/* The bytes one scratch holds. */
size_t pos_scratch_memory(const pos_scratch *scratch);

/* Ranks suggestions for one basket: up to request->k results, best first
 * under the diversity caps, then the category cap's fill (docs/scoring.md),
 * into out[0..cap); *n_out = how many. cap < k: POS_ESPACE. */
int pos_engine_score(const pos_engine *engine, pos_scratch *scratch,
                     const pos_score_request *request, pos_suggestion *out, size_t cap,
                     size_t *n_out);

/* ---- learning overlay (today's sales and declines) ------------------------ */

/* What the till learns during the day, on top of one engine's mined counts
 * (docs/scoring.md, "Learning during the day"): per item the baskets and
 * weight added, the totals, and per ordered pair (a, c) seen in a basket or
 * declined today the co-count and weight added and a decayed decline sum.
 * Passed to pos_engine_score in pos_score_request.learned. The engine must
 * outlive it. Adding to an overlay while a score call reads it is not allowed
 * (the caller serialises them); several score calls may read one at once. */
typedef struct {
    int32_t size_cap;               /* baskets of up to this many items weigh 1, larger
                                       ones (size_cap-1)/(n-1), as the miner's (>= 2) */
    int32_t min_pair_count;         /* a pair the engine does not list counts once today's
                                       baskets held it this many times (>= 1) */
    int32_t list_size;              /* the mined lists' length N (pos_mine_params.top_n):
                                       a pair not in a full list also needs the weight of
                                       its weakest entry; 0 = no such bar */
    double decline_half_life_days;  /* a decline's weight halves every this many days (> 0) */
    int64_t max_pairs;              /* at most this many pair entries (0: no limit); once
                                       full, a pair or decline new to the overlay is not held
                                       (counted in pos_learned_stats.dropped), the rest of
                                       the basket still counts */
} pos_learn_params;

typedef struct {
    int64_t baskets;    /* baskets added */
    double weight;      /* their total weight */
    int64_t pairs;      /* ordered pair entries (a, c) held */
    int64_t declines;   /* declines added */
    int64_t dropped;    /* pair updates and declines not held: the overlay was full */
} pos_learned_stats;

int pos_learned_new(const pos_engine *engine, const pos_learn_params *params,
                    pos_learned **out);
void pos_learned_free(pos_learned *learned);

/* One paid basket: items[0..n) (repeats are merged; any order). Adds 1 to each
 * item's count and to each ordered pair's co-count, and the basket's weight to
 * their weights and to the total (n = 0: nothing). An item out of range: POS_ERANGE; a count
 * that would pass UINT32_MAX: POS_EOVERFLOW; nothing changes on failure. */
int pos_learned_add_basket(pos_learned *learned, const int32_t *items, int32_t n);

/* A declined suggestion `item` explained by basket item `anchor`, at `time`
 * (UTC seconds): the pair's decline sum, decayed to `time`, grows by 1. */
int pos_learned_add_decline(pos_learned *learned, int32_t anchor, int32_t item, int64_t time);

int pos_learned_stats_get(const pos_learned *learned, pos_learned_stats *out);
/* The bytes an overlay holds. */
size_t pos_learned_memory(const pos_learned *learned);

#endif /* POS_CORE_H */
