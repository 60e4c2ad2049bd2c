package ledger

import (
	"encoding/json"
	"sort"

	"firebot/campaign"
	"firebot/store"
)

func jsonDecode(b []byte, v any) error { return json.Unmarshal(b, v) }

// TaskStatus is one applicable task of a unit.
type TaskStatus struct {
	Task          campaign.Task
	Required      int
	Records       []*store.Record // active confirmations, oldest first
	Returned      []*store.Record // sent back by the office, awaiting resubmission
	NotApplicable *NotApplicable
}

// Done reports whether the task needs nothing more.
func (s TaskStatus) Done() bool {
	return s.NotApplicable != nil || len(s.Records) >= s.Required
}

// Owed is how many more reports the task needs.
func (s TaskStatus) Owed() int {
	if s.Done() {
		return 0
	}
	return s.Required - len(s.Records)
}

// UnitProgress is what one unit has reported and still owes.
type UnitProgress struct {
	Unit               campaign.Unit
	Tasks              []TaskStatus
	NominationExpected bool
	Nominations        []*store.Record // active nominations
	// NoNomination is the unit's 本单位不推荐 (kept as a NotApplicable
	// mark under NoNominationTask): the nomination counts as answered.
	NoNomination *NotApplicable
}

// NoNominationTask is the task id under which a unit's 本单位不推荐 is
// marked with MarkNotApplicable; it is the id reminder plans use for the
// nomination (scheduler.TaskNomination).
const NoNominationTask = "nomination"

// Missing lists the tasks still owed, in configuration order.
func (p UnitProgress) Missing() []TaskStatus {
	var out []TaskStatus
	for _, t := range p.Tasks {
		if !t.Done() {
			out = append(out, t)
		}
	}
	return out
}

// MissingFor lists the tasks owed by deadline id.
func (p UnitProgress) MissingFor(deadlineID string) []TaskStatus {
	var out []TaskStatus
	for _, t := range p.Missing() {
		if t.Task.Deadline == deadlineID || (t.Task.Deadline == "" && deadlineID == campaign.DefaultTaskDeadline) {
			out = append(out, t)
		}
	}
	return out
}

// OwesNomination reports whether the unit is expected to nominate and has not.
func (p UnitProgress) OwesNomination() bool {
	return p.NominationExpected && len(p.Nominations) == 0 && p.NoNomination == nil
}

// DoneCount and Applicable count tasks (not-applicable ones count as done).
func (p UnitProgress) DoneCount() (done, applicable int) {
	for _, t := range p.Tasks {
		if t.Done() {
			done++
		}
	}
	return done, len(p.Tasks)
}

// Reported reports whether the unit has any active record at all.
func (p UnitProgress) Reported() bool {
	if len(p.Nominations) > 0 {
		return true
	}
	for _, t := range p.Tasks {
		if len(t.Records) > 0 {
			return true
		}
	}
	return false
}

// Of computes a unit's progress in campaign c from its own records only.
func Of(tx store.Tx, c *campaign.Campaign, u campaign.Unit) (UnitProgress, error) {
	recs, err := store.RecordsOfUnit(tx, c.ID, u.ID)
	if err != nil {
		return UnitProgress{Unit: u}, err
	}
	na, err := NotApplicableOf(tx, c.ID, u.ID)
	if err != nil {
		return UnitProgress{Unit: u}, err
	}
	return progress(c, u, recs, na), nil
}

// progress is a unit's progress from its records and 不适用 marks.
func progress(c *campaign.Campaign, u campaign.Unit, recs []*store.Record, na map[string]NotApplicable) UnitProgress {
	p := UnitProgress{Unit: u, NominationExpected: c.NominationExpected(u)}
	byTask := map[string][]*store.Record{}
	returned := map[string][]*store.Record{}
	for _, r := range recs {
		switch {
		case r.Kind == store.KindNomination && r.Status == store.StatusActive:
			p.Nominations = append(p.Nominations, r)
		case r.Kind != store.KindConfirmation:
		case r.Status == store.StatusActive:
			byTask[r.TaskID] = append(byTask[r.TaskID], r)
			for _, id := range AlsoTasksOf(r) {
				byTask[id] = append(byTask[id], r)
			}
		case r.Status == store.StatusReturned:
			returned[r.TaskID] = append(returned[r.TaskID], r)
			for _, id := range AlsoTasksOf(r) {
				returned[id] = append(returned[id], r)
			}
		}
	}
	for _, t := range c.TasksFor(u) {
		s := TaskStatus{Task: t, Required: max(t.Required, 1), Records: byTask[t.ID], Returned: returned[t.ID]}
		sortByCreated(s.Records)
		if m, ok := na[t.ID]; ok {
			s.NotApplicable = &m
		}
		p.Tasks = append(p.Tasks, s)
	}
	sortByCreated(p.Nominations)
	if m, ok := na[NoNominationTask]; ok && p.NominationExpected {
		p.NoNomination = &m
	}
	return p
}

func sortByCreated(rs []*store.Record) {
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].CreatedAt.Before(rs[j].CreatedAt) })
}

// All computes the progress of every unit of the roster in roster order.
// It reads the whole campaign at once — one scan of the records' unit
// index, one batched read of the records, one scan of the 不适用 marks —
// rather than a scan of each per unit: a street's reminder fire or 统计
// costs a few round trips on Redis instead of a hundred.
func All(tx store.Tx, c *campaign.Campaign, roster campaign.Roster) ([]UnitProgress, error) {
	recs, err := store.RecordsByUnit(tx, c.ID)
	if err != nil {
		return nil, err
	}
	na, err := notApplicableByUnit(tx, c.ID)
	if err != nil {
		return nil, err
	}
	out := make([]UnitProgress, 0, len(roster))
	for _, u := range roster {
		out = append(out, progress(c, u, recs[u.ID], na[u.ID]))
	}
	return out, nil
}
