package ledger

import (
	"bytes"
	"encoding/json"
	"fmt"

	"firebot/store"
)

// Confirmation is the payload of an activity confirmation (上报, HD-…).
type Confirmation struct {
	Date         string            `json:"date"`             // activity day, 2006-01-02 in the campaign's zone
	Fields       map[string]string `json:"fields,omitempty"` // task field id → value as entered (normalised)
	Place        string            `json:"place,omitempty"`
	Description  string            `json:"description,omitempty"`
	Photos       []string          `json:"photos,omitempty"` // file names under media.dir
	ReporterName string            `json:"reporter_name,omitempty"`
	EnteredBy    string            `json:"entered_by,omitempty"`  // office user for 代录
	SuppliedBy   string            `json:"supplied_by,omitempty"` // 代录: who at the unit supplied it (name, phone)
	ChatID       string            `json:"chat_id,omitempty"`
	ReturnReason string            `json:"return_reason,omitempty"` // set by 退回
	ReturnedBy   string            `json:"returned_by,omitempty"`
	// Late: first submitted after its task's deadline (逾期).
	Late bool `json:"late,omitempty"`
	// AlsoTasks are the other tasks the same activity counts for (a drill
	// with a revised plan is also the unit's drill): the record shows under
	// each of them, and 撤回/退回 act on all at once.
	AlsoTasks []string `json:"also_tasks,omitempty"`
}

// AlsoTasksOf returns the other tasks a confirmation counts for, reading
// the payload only when it names any.
func AlsoTasksOf(r *store.Record) []string {
	if r.Kind != store.KindConfirmation || !bytes.Contains(r.Data, []byte(`"also_tasks"`)) {
		return nil
	}
	var c struct {
		AlsoTasks []string `json:"also_tasks"`
	}
	if json.Unmarshal(r.Data, &c) != nil {
		return nil
	}
	return c.AlsoTasks
}

// Nomination is the payload of a volunteer nomination (推荐, TJ-…).
type Nomination struct {
	NomineeKind     string `json:"nominee_kind"` // 个人 | 集体
	Name            string `json:"name"`
	Affiliation     string `json:"affiliation"`
	Years           int    `json:"years"`
	YearsReason     string `json:"years_reason,omitempty"` // why fewer than the minimum
	Scope           int    `json:"scope"`                  // 1-based index into the campaign's scopes
	Deeds           string `json:"deeds"`
	Phone           string `json:"phone"`
	RecommenderID   string `json:"recommender_id"`
	RecommenderName string `json:"recommender_name,omitempty"`
	ChatID          string `json:"chat_id,omitempty"`
	Late            bool   `json:"late,omitempty"`        // 逾期: after the later deadline
	UnderYears      bool   `json:"under_years,omitempty"` // fewer years than the minimum
	EnteredBy       string `json:"entered_by,omitempty"`
	Redacted        bool   `json:"redacted,omitempty"`      // personal data removed after retention
	ReturnReason    string `json:"return_reason,omitempty"` // set by 退回
	ReturnedBy      string `json:"returned_by,omitempty"`
}

// Return marks a confirmation returned (退回) by whom and why.
func (c *Confirmation) Return(reason, by string) { c.ReturnReason, c.ReturnedBy = reason, by }

// Resubmit clears what Return set: a resubmitted record is no longer returned.
func (c *Confirmation) Resubmit() { c.Return("", "") }

// Return marks a nomination returned (退回) by whom and why.
func (n *Nomination) Return(reason, by string) { n.ReturnReason, n.ReturnedBy = reason, by }

// Resubmit clears what Return set: a resubmitted record is no longer returned.
func (n *Nomination) Resubmit() { n.Return("", "") }

// DecodeConfirmation reads the payload of an HD record.
func DecodeConfirmation(r *store.Record) (Confirmation, error) {
	var c Confirmation
	if r.Kind != store.KindConfirmation {
		return c, fmt.Errorf("ledger: %s is not a confirmation", r.ID)
	}
	if len(r.Data) > 0 {
		if err := json.Unmarshal(r.Data, &c); err != nil {
			return c, fmt.Errorf("ledger: decode %s: %w", r.ID, err)
		}
	}
	return c, nil
}

// DecodeNomination reads the payload of a TJ record.
func DecodeNomination(r *store.Record) (Nomination, error) {
	var n Nomination
	if r.Kind != store.KindNomination {
		return n, fmt.Errorf("ledger: %s is not a nomination", r.ID)
	}
	if len(r.Data) > 0 {
		if err := json.Unmarshal(r.Data, &n); err != nil {
			return n, fmt.Errorf("ledger: decode %s: %w", r.ID, err)
		}
	}
	return n, nil
}

// Encode sets r.Data from a payload.
func Encode(r *store.Record, payload any) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("ledger: encode %s: %w", r.ID, err)
	}
	r.Data = b
	return nil
}
