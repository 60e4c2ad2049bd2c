// Package redisstore is the Redis backend of store.Store, for running several
// firebot instances on one shared state. It works over any
// redis.UniversalClient: a single server, Sentinel, or Cluster.
//
// Every key lives under one prefix (default "{firebot}:"). The braces are a
// Cluster hash tag: all keys hash to one slot, so multi-key transactions work
// on Cluster too. Layout under the prefix:
//
//	d:<bucket>:<key>   durable value (Put)
//	t:<bucket>:<key>   expiring entry (PutTTL): 8-byte big-endian expiry in
//	                   unix nanoseconds on the injected real clock, then the
//	                   value; SET with PX, so Redis collects it
//	z:<bucket>         sorted set of the bucket's durable keys, all score 0,
//	                   read with ZRANGEBYLEX for Scan's byte order
//	seq:<name>         counters of NextSeq and TakeSeq: a decimal string
//	~tx                never written; Update WATCHes it first so that Cluster
//	                   routes the transaction to the prefix's slot
//
// Streets (store.Streets): Street(id) is a store of the same client whose
// prefix is StreetPrefix(prefix, id), "{<name>:<id>}:" for the default
// "{firebot}:", so each street hashes to a slot of its own and the streets
// of a deployment spread over a Cluster's masters, while every unit of work
// stays inside one street's slot. Street "" keeps the prefix as configured.
// ImportStreet copies a single-street deployment's keys into a street.
//
// Update is an optimistic transaction: every read WATCHes the keys it reads
// (Scan watches the bucket's sorted set and the values it returns), writes are
// buffered in the Tx (later reads in the same function see them) and applied
// with MULTI/EXEC at the end. When a watched key changed, EXEC aborts and the
// function runs again, up to Options.MaxAttempts times with a short jittered
// backoff, after which Update returns store.ErrConflict. A function that
// returns an error is validated the same way, so its error is always based on
// a consistent view. View reads directly, without a snapshot: each read sees
// the latest committed state.
//
// Hot keys stay out of the optimistic check, so that writers touching them do
// not collide: TakeSeq takes a counter's next value with INCR at once,
// watching nothing (the values a run took are handed again to the Update's
// later runs; a gap is left only if the Update never commits), and the Tx's
// Unwatched view (store.ReadCommitted) reads without WATCH, for reads that
// only inform a reply, such as a unit's progress.
//
// Whether an expiring entry is live is decided by the injected real clock and
// the expiry stored in its value (so tests control expiry with a fake clock);
// the server-side TTL only reclaims memory.
//
// The Store does not own the client: Close stops the Store, and the caller
// closes the client it created (see NewClient).
package redisstore
