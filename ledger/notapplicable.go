package ledger

import (
	"strings"
	"time"

	"firebot/store"
)

// NotApplicable is the office's mark that a task does not apply to a unit
// (不适用), with its reason; the task then no longer counts as missing.
type NotApplicable struct {
	TaskID string    `json:"task_id"`
	Reason string    `json:"reason"`
	By     string    `json:"by"`
	At     time.Time `json:"at"` // campaign clock
}

const bNotApplicable = "not_applicable" // campaign, unit, task

func naKey(campaignID, unitID, taskID string) string {
	return store.JoinKey(campaignID, unitID, taskID)
}

// MarkNotApplicable records that taskID does not apply to unitID.
func MarkNotApplicable(tx store.Tx, campaignID, unitID string, na NotApplicable) error {
	return store.PutJSON(tx, bNotApplicable, naKey(campaignID, unitID, na.TaskID), na)
}

// ClearNotApplicable removes the mark.
func ClearNotApplicable(tx store.Tx, campaignID, unitID, taskID string) error {
	return tx.Delete(bNotApplicable, naKey(campaignID, unitID, taskID))
}

// NotApplicableOf lists a unit's marks by task id.
func NotApplicableOf(tx store.Tx, campaignID, unitID string) (map[string]NotApplicable, error) {
	byUnit, err := notApplicable(tx, campaignID, unitID)
	if m := byUnit[unitID]; m != nil {
		return m, err
	}
	return map[string]NotApplicable{}, err
}

// notApplicableByUnit lists every mark of a campaign: unit → task → mark.
func notApplicableByUnit(tx store.Tx, campaignID string) (map[string]map[string]NotApplicable, error) {
	return notApplicable(tx, campaignID, "")
}

// notApplicable lists the marks of a campaign, of one unit or ("") of
// every unit, in one scan: unit → task → mark.
func notApplicable(tx store.Tx, campaignID, unitID string) (map[string]map[string]NotApplicable, error) {
	out := map[string]map[string]NotApplicable{}
	campaignPrefix, prefix := store.KeyPrefix(campaignID), store.KeyPrefix(campaignID)
	if unitID != "" {
		prefix = store.KeyPrefix(campaignID, unitID)
	}
	err := tx.Scan(bNotApplicable, prefix, "", func(key string, v []byte) error {
		var na NotApplicable
		if err := jsonDecode(v, &na); err != nil {
			return err
		}
		unit, _, ok := strings.Cut(strings.TrimPrefix(key, campaignPrefix), store.KeySep)
		if !ok {
			return nil
		}
		if out[unit] == nil {
			out[unit] = map[string]NotApplicable{}
		}
		out[unit][na.TaskID] = na
		return nil
	})
	return out, err
}
