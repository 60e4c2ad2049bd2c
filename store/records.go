package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Kind is a record kind; its value is the id prefix.
type Kind string

// Record kinds.
const (
	KindConfirmation Kind = "HD" // an activity confirmation (上报)
	KindNomination   Kind = "TJ" // a volunteer nomination (推荐)
	KindBroadcast    Kind = "GB" // an office broadcast (广播)
)

// Record statuses.
const (
	StatusActive    = "active"    // counts towards progress
	StatusWithdrawn = "withdrawn" // 撤回 by the reporter or an officer
	StatusReturned  = "returned"  // 退回 by the office; counts as missing until resubmitted
)

// Record is a typed campaign record. Kind-specific content is in Data, which
// the owning package encodes; the store indexes the common fields.
type Record struct {
	ID         string          `json:"id"`
	Kind       Kind            `json:"kind"`
	CampaignID string          `json:"campaign_id"`
	UnitID     string          `json:"unit_id,omitempty"`
	TaskID     string          `json:"task_id,omitempty"`
	Status     string          `json:"status"`
	ReporterID string          `json:"reporter_id,omitempty"`
	CreatedAt  time.Time       `json:"created_at"` // campaign clock
	UpdatedAt  time.Time       `json:"updated_at"` // campaign clock
	Data       json.RawMessage `json:"data,omitempty"`
}

// ErrBadID reports a malformed record id.
var ErrBadID = errors.New("store: malformed record id")

// FormatID renders a readable id: the prefix, a hyphen and the sequence
// zero-padded to at least four digits (HD-0001, HD-12345).
func FormatID(k Kind, n uint64) string { return fmt.Sprintf("%s-%04d", k, n) }

// ParseID splits an id such as "hd-3" or "HD-0003" into its kind and number.
// Case and padding are forgiven, since users type ids by hand.
func ParseID(s string) (Kind, uint64, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	prefix, num, ok := strings.Cut(s, "-")
	if !ok {
		return "", 0, ErrBadID
	}
	k := Kind(prefix)
	switch k {
	case KindConfirmation, KindNomination, KindBroadcast:
	default:
		return "", 0, ErrBadID
	}
	n, err := strconv.ParseUint(num, 10, 64)
	if err != nil || n == 0 {
		return "", 0, ErrBadID
	}
	return k, n, nil
}

// NormalizeID returns the canonical form of a typed id ("hd-3" → "HD-0003").
func NormalizeID(s string) (string, error) {
	k, n, err := ParseID(s)
	if err != nil {
		return "", err
	}
	return FormatID(k, n), nil
}

const timeKeyFmt = "%020d" // unix nanos, sortable as text

func timeKey(t time.Time) string { return fmt.Sprintf(timeKeyFmt, t.UnixNano()) }

// NewRecordID takes the next id of kind. Ids are counted per kind across all
// campaigns in one store and never reused; a unit of work that does not
// commit may leave a gap. The counter is taken with TakeSeq, so concurrent
// submissions do not collide on it.
func NewRecordID(tx Tx, k Kind) (string, error) {
	n, err := tx.TakeSeq(seqRecordsP + string(k))
	if err != nil {
		return "", err
	}
	return FormatID(k, n), nil
}

// PutRecord creates or replaces a record and keeps its indexes. A record
// without an id gets the next one of its kind.
func PutRecord(tx Tx, r *Record) error {
	if r.Kind == "" || r.CampaignID == "" {
		return fmt.Errorf("store: put record: kind and campaign are required")
	}
	if r.Status == "" {
		r.Status = StatusActive
	}
	if r.ID == "" {
		id, err := NewRecordID(tx, r.Kind)
		if err != nil {
			return err
		}
		r.ID = id
	} else if old, err := GetRecord(tx, r.ID); err == nil {
		if err := deleteRecordIndexes(tx, old); err != nil {
			return err
		}
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	if err := PutJSON(tx, bRecords, r.ID, r); err != nil {
		return err
	}
	if r.UnitID != "" {
		if err := tx.Put(bRecByUnit, JoinKey(r.CampaignID, r.UnitID, r.ID), nil); err != nil {
			return err
		}
	}
	if r.ReporterID != "" {
		if err := tx.Put(bRecByUser, JoinKey(r.CampaignID, r.ReporterID, r.ID), nil); err != nil {
			return err
		}
	}
	return tx.Put(bRecByTime, JoinKey(r.CampaignID, string(r.Kind), timeKey(r.CreatedAt), r.ID), nil)
}

func deleteRecordIndexes(tx Tx, r *Record) error {
	for _, k := range []struct{ b, key string }{
		{bRecByUnit, JoinKey(r.CampaignID, r.UnitID, r.ID)},
		{bRecByUser, JoinKey(r.CampaignID, r.ReporterID, r.ID)},
		{bRecByTime, JoinKey(r.CampaignID, string(r.Kind), timeKey(r.CreatedAt), r.ID)},
	} {
		if err := tx.Delete(k.b, k.key); err != nil {
			return err
		}
	}
	return nil
}

// GetRecord reads a record by its canonical id.
func GetRecord(tx Tx, id string) (*Record, error) {
	var r Record
	if err := GetJSON(tx, bRecords, id, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// RecordsOfUnit lists a unit's records of one campaign in id order.
func RecordsOfUnit(tx Tx, campaignID, unitID string) ([]*Record, error) {
	return collect(tx, bRecByUnit, campaignID, unitID)
}

// RecordsByUnit lists every record of one campaign by unit (in id order
// within a unit): one scan of the unit index and one batched read for the
// whole campaign, where RecordsOfUnit per unit costs a scan and a read
// each.
func RecordsByUnit(tx Tx, campaignID string) (map[string][]*Record, error) {
	var ids []string
	if err := scanParts(tx, bRecByUnit, func(unitAndID string, _ []byte) error {
		if _, id, ok := strings.Cut(unitAndID, KeySep); ok {
			ids = append(ids, id)
		}
		return nil
	}, campaignID); err != nil {
		return nil, err
	}
	recs, err := loadRecords(tx, ids)
	if err != nil {
		return nil, err
	}
	out := map[string][]*Record{}
	for _, r := range recs {
		out[r.UnitID] = append(out[r.UnitID], r)
	}
	return out, nil
}

// RecordsOfReporter lists the records a user reported in one campaign.
func RecordsOfReporter(tx Tx, campaignID, userID string) ([]*Record, error) {
	return collect(tx, bRecByUser, campaignID, userID)
}

func collect(tx Tx, index string, parts ...string) ([]*Record, error) {
	var ids []string
	if err := scanParts(tx, index, func(id string, _ []byte) error {
		ids = append(ids, id)
		return nil
	}, parts...); err != nil {
		return nil, err
	}
	return loadRecords(tx, ids)
}

func loadRecords(tx Tx, ids []string) ([]*Record, error) {
	if Prefetches(tx) && len(ids) > 1 {
		// One round trip for all of a unit's records, not one each.
		reads := make([]Read, len(ids))
		for i, id := range ids {
			reads[i] = Read{Bucket: bRecords, Key: id}
		}
		if err := Prefetch(tx, reads...); err != nil {
			return nil, err
		}
	}
	out := make([]*Record, 0, len(ids))
	for _, id := range ids {
		r, err := GetRecord(tx, id)
		if errors.Is(err, ErrNotFound) {
			continue // index left by a concurrent rewrite; the record moved
		}
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// EachRecord calls fn for every record of kind in one campaign, ordered by
// creation time, restricted to [from, to) when those are non-zero.
func EachRecord(tx Tx, campaignID string, k Kind, from, to time.Time, fn func(*Record) error) error {
	prefix := JoinKey(campaignID, string(k)) + sep
	start := ""
	if !from.IsZero() {
		start = prefix + timeKey(from)
	}
	var end string
	if !to.IsZero() {
		end = prefix + timeKey(to)
	}
	return tx.Scan(bRecByTime, prefix, start, func(key string, _ []byte) error {
		if end != "" && key >= end {
			return ErrStopScan
		}
		id := key[strings.LastIndex(key, sep)+1:]
		r, err := GetRecord(tx, id)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		return fn(r)
	})
}
