package ledger_test

import (
	"context"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"firebot/campaign"
	"firebot/ledger"
	"firebot/store"
	"firebot/store/embedded"
)

// A small campaign: drills owed twice by organisations, publicity once by
// communities and organisations (required 0 means 1), a visit due by a
// later deadline; communities are asked to nominate.
var (
	camp = &campaign.Campaign{
		ID: "2023-119",
		Tasks: []campaign.Task{
			{ID: "drill", AppliesTo: campaign.AppliesTo{Kinds: []campaign.Kind{campaign.KindOrganisation}}, Required: 2, Deadline: "report"},
			{ID: "publicity", AppliesTo: campaign.AppliesTo{Kinds: []campaign.Kind{campaign.KindCommunity, campaign.KindOrganisation}}},
			{ID: "visit", AppliesTo: campaign.AppliesTo{Kinds: []campaign.Kind{campaign.KindOrganisation}}, Required: 1, Deadline: "late"},
		},
		Nomination: &campaign.Nomination{AppliesTo: campaign.AppliesTo{Kinds: []campaign.Kind{campaign.KindCommunity}}},
	}
	community = campaign.Unit{ID: "u1", Kind: campaign.KindCommunity}
	school    = campaign.Unit{ID: "u10", Kind: campaign.KindOrganisation}
	sector    = campaign.Unit{ID: "u2", Kind: campaign.KindSector}
)

func openStore(t *testing.T) store.Store {
	t.Helper()
	st, err := embedded.Open(filepath.Join(t.TempDir(), "ledger.db"), embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// rec is a record to put: its unit, task, status, the minute it was
// created (records are put in another order) and its also_tasks.
type rec struct {
	kind   store.Kind
	unit   string
	task   string
	status string
	minute int
	also   []string
}

// put stores the records in the given order and returns their ids.
func put(t *testing.T, st store.Store, recs []rec, marks map[string][]string) []string {
	t.Helper()
	t0 := time.Date(2023, 11, 1, 9, 0, 0, 0, time.UTC)
	var ids []string
	err := st.Update(context.Background(), func(tx store.Tx) error {
		for _, x := range recs {
			r := &store.Record{Kind: x.kind, CampaignID: camp.ID, UnitID: x.unit, TaskID: x.task, Status: x.status,
				CreatedAt: t0.Add(time.Duration(x.minute) * time.Minute)}
			if x.kind == store.KindConfirmation {
				if err := ledger.Encode(r, ledger.Confirmation{Date: "2023-11-01", AlsoTasks: x.also}); err != nil {
					return err
				}
			}
			if err := store.PutRecord(tx, r); err != nil {
				return err
			}
			ids = append(ids, r.ID)
		}
		for unit, tasks := range marks {
			for _, task := range tasks {
				if err := ledger.MarkNotApplicable(tx, camp.ID, unit, ledger.NotApplicable{TaskID: task, Reason: "无此条件", By: "zhujun"}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// summary is a unit's progress with records as ids: "HD-0001" etc.
type summary struct {
	tasks        map[string][]string // task → active record ids, oldest first
	returned     map[string][]string
	na           []string // tasks marked not applicable
	missing      []string
	missingLate  []string // MissingFor("late")
	missingDef   []string // MissingFor("report")
	done, of     int
	reported     bool
	nominations  []string
	owes         bool
	noNomination bool
}

func summarise(p ledger.UnitProgress) summary {
	s := summary{tasks: map[string][]string{}, returned: map[string][]string{}}
	ids := func(rs []*store.Record) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	taskIDs := func(ts []ledger.TaskStatus) []string {
		var out []string
		for _, t := range ts {
			out = append(out, t.Task.ID)
		}
		return out
	}
	for _, ts := range p.Tasks {
		if r := ids(ts.Records); r != nil {
			s.tasks[ts.Task.ID] = r
		}
		if r := ids(ts.Returned); r != nil {
			s.returned[ts.Task.ID] = r
		}
		if ts.NotApplicable != nil {
			s.na = append(s.na, ts.NotApplicable.TaskID)
		}
	}
	s.missing = taskIDs(p.Missing())
	s.missingLate = taskIDs(p.MissingFor("late"))
	s.missingDef = taskIDs(p.MissingFor(campaign.DefaultTaskDeadline))
	s.done, s.of = p.DoneCount()
	s.reported = p.Reported()
	s.nominations = ids(p.Nominations)
	s.owes = p.OwesNomination()
	s.noNomination = p.NoNomination != nil
	return s
}

func TestOf(t *testing.T) {
	const hd, tj = store.KindConfirmation, store.KindNomination
	active, returned, withdrawn := store.StatusActive, store.StatusReturned, store.StatusWithdrawn
	for _, tc := range []struct {
		name  string
		unit  campaign.Unit
		recs  []rec
		marks map[string][]string // unit → tasks not applicable
		want  summary
	}{
		{name: "nothing reported",
			unit: school,
			want: summary{missing: []string{"drill", "publicity", "visit"}, missingLate: []string{"visit"},
				missingDef: []string{"drill", "publicity"}, of: 3}},
		{name: "a community owes its nomination",
			unit: community,
			want: summary{missing: []string{"publicity"}, missingDef: []string{"publicity"}, of: 1, owes: true}},
		{name: "a sector owes nothing",
			unit: sector,
			recs: []rec{{kind: hd, unit: "u2", task: "drill", status: active}},
			// Its own record of a task that does not apply is not counted.
			want: summary{}},
		{name: "one drill of two is not done; oldest first",
			unit: school,
			recs: []rec{
				{kind: hd, unit: "u10", task: "publicity", status: active, minute: 5},
				{kind: hd, unit: "u10", task: "drill", status: active, minute: 9},
				{kind: hd, unit: "u10", task: "visit", status: active, minute: 1},
			},
			want: summary{tasks: map[string][]string{"publicity": {"HD-0001"}, "drill": {"HD-0002"}, "visit": {"HD-0003"}},
				missing: []string{"drill"}, missingDef: []string{"drill"}, done: 2, of: 3, reported: true}},
		{name: "two drills, the older first",
			unit: school,
			recs: []rec{
				{kind: hd, unit: "u10", task: "drill", status: active, minute: 30},
				{kind: hd, unit: "u10", task: "drill", status: active, minute: 10},
			},
			want: summary{tasks: map[string][]string{"drill": {"HD-0002", "HD-0001"}},
				missing: []string{"publicity", "visit"}, missingLate: []string{"visit"}, missingDef: []string{"publicity"},
				done: 1, of: 3, reported: true}},
		{name: "also_tasks count for each task, returned too",
			unit: school,
			recs: []rec{
				{kind: hd, unit: "u10", task: "drill", status: active, also: []string{"publicity"}},
				{kind: hd, unit: "u10", task: "visit", status: returned, also: []string{"drill"}},
			},
			want: summary{tasks: map[string][]string{"drill": {"HD-0001"}, "publicity": {"HD-0001"}},
				returned: map[string][]string{"visit": {"HD-0002"}, "drill": {"HD-0002"}},
				missing:  []string{"drill", "visit"}, missingLate: []string{"visit"}, missingDef: []string{"drill"},
				done: 1, of: 3, reported: true}},
		{name: "withdrawn and returned records do not count",
			unit: community,
			recs: []rec{
				{kind: hd, unit: "u1", task: "publicity", status: withdrawn},
				{kind: hd, unit: "u1", task: "publicity", status: returned},
				{kind: tj, unit: "u1", status: withdrawn},
			},
			want: summary{returned: map[string][]string{"publicity": {"HD-0002"}},
				missing: []string{"publicity"}, missingDef: []string{"publicity"}, of: 1, owes: true}},
		{name: "a nomination answers it and counts as reported",
			unit: community,
			recs: []rec{{kind: tj, unit: "u1", status: active, minute: 3}, {kind: tj, unit: "u1", status: active, minute: 1}},
			want: summary{missing: []string{"publicity"}, missingDef: []string{"publicity"}, of: 1,
				reported: true, nominations: []string{"TJ-0002", "TJ-0001"}}},
		{name: "不适用 and 本单位不推荐",
			unit:  community,
			marks: map[string][]string{"u1": {"publicity", ledger.NoNominationTask}},
			want:  summary{na: []string{"publicity"}, done: 1, of: 1, noNomination: true}},
		{name: "本单位不推荐 of a unit not asked is ignored; a mark covers the drill however many",
			unit:  school,
			marks: map[string][]string{"u10": {"drill", ledger.NoNominationTask}},
			want: summary{na: []string{"drill"}, missing: []string{"publicity", "visit"}, missingLate: []string{"visit"},
				missingDef: []string{"publicity"}, done: 1, of: 3}},
		{name: "other units' records and marks stay theirs (u1 is a prefix of u10)",
			unit: community,
			recs: []rec{
				{kind: hd, unit: "u10", task: "publicity", status: active},
				{kind: tj, unit: "u10", status: active},
			},
			marks: map[string][]string{"u10": {"publicity", ledger.NoNominationTask}},
			want:  summary{missing: []string{"publicity"}, missingDef: []string{"publicity"}, of: 1, owes: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := openStore(t)
			put(t, st, tc.recs, tc.marks)
			var got ledger.UnitProgress
			err := st.View(context.Background(), func(tx store.Tx) error {
				var err error
				got, err = ledger.Of(tx, camp, tc.unit)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if got.Unit.ID != tc.unit.ID || got.NominationExpected != camp.NominationExpected(tc.unit) {
				t.Errorf("unit %q expected %v", got.Unit.ID, got.NominationExpected)
			}
			if tc.want.tasks == nil {
				tc.want.tasks = map[string][]string{}
			}
			if tc.want.returned == nil {
				tc.want.returned = map[string][]string{}
			}
			if s := summarise(got); !equalSummary(s, tc.want) {
				t.Errorf("got  %+v\nwant %+v", s, tc.want)
			}
		})
	}
}

func equalSummary(a, b summary) bool {
	eqMap := func(x, y map[string][]string) bool {
		if len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if !slices.Equal(v, y[k]) {
				return false
			}
		}
		return true
	}
	return eqMap(a.tasks, b.tasks) && eqMap(a.returned, b.returned) && slices.Equal(a.na, b.na) &&
		slices.Equal(a.missing, b.missing) && slices.Equal(a.missingLate, b.missingLate) &&
		slices.Equal(a.missingDef, b.missingDef) && a.done == b.done && a.of == b.of && a.reported == b.reported &&
		slices.Equal(a.nominations, b.nominations) && a.owes == b.owes && a.noNomination == b.noNomination
}

func TestTaskStatus(t *testing.T) {
	na := &ledger.NotApplicable{TaskID: "drill"}
	one, two := []*store.Record{{ID: "HD-0001"}}, []*store.Record{{ID: "HD-0001"}, {ID: "HD-0002"}}
	for _, tc := range []struct {
		name string
		s    ledger.TaskStatus
		done bool
		owed int
	}{
		{"none of one", ledger.TaskStatus{Required: 1}, false, 1},
		{"one of one", ledger.TaskStatus{Required: 1, Records: one}, true, 0},
		{"one of two", ledger.TaskStatus{Required: 2, Records: one}, false, 1},
		{"two of one", ledger.TaskStatus{Required: 1, Records: two}, true, 0},
		{"not applicable", ledger.TaskStatus{Required: 2, NotApplicable: na}, true, 0},
		{"returned records owe", ledger.TaskStatus{Required: 1, Returned: one}, false, 1},
	} {
		if done, owed := tc.s.Done(), tc.s.Owed(); done != tc.done || owed != tc.owed {
			t.Errorf("%s: done %v owed %d, want %v %d", tc.name, done, owed, tc.done, tc.owed)
		}
	}
}

// All is Of for each unit, in roster order.
func TestAll(t *testing.T) {
	st := openStore(t)
	put(t, st, []rec{{kind: store.KindConfirmation, unit: "u1", task: "publicity", status: store.StatusActive}}, nil)
	roster := campaign.Roster{school, sector, community}
	var all []ledger.UnitProgress
	if err := st.View(context.Background(), func(tx store.Tx) (err error) {
		all, err = ledger.All(tx, camp, roster)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 {
		t.Fatalf("%d units", len(all))
	}
	for i, u := range roster {
		if all[i].Unit.ID != u.ID {
			t.Errorf("unit %d is %s, want %s", i, all[i].Unit.ID, u.ID)
		}
	}
	if d, n := all[2].DoneCount(); d != 1 || n != 1 || all[0].Reported() {
		t.Errorf("community %d/%d, school reported %v", d, n, all[0].Reported())
	}
}

// All reads the campaign at once, and gives what Of gives unit by unit:
// records of every status and kind, also_tasks, 不适用 marks, and unit
// ids that are prefixes of each other (u1, u10) kept apart.
func TestAllIsOfForEachUnit(t *testing.T) {
	st := openStore(t)
	put(t, st, []rec{
		{kind: store.KindConfirmation, unit: "u10", task: "drill", status: store.StatusActive, minute: 5, also: []string{"publicity"}},
		{kind: store.KindConfirmation, unit: "u10", task: "drill", status: store.StatusReturned, minute: 1},
		{kind: store.KindConfirmation, unit: "u1", task: "publicity", status: store.StatusActive, minute: 3},
		{kind: store.KindNomination, unit: "u1", status: store.StatusActive, minute: 2},
		{kind: store.KindConfirmation, unit: "u1", task: "publicity", status: store.StatusWithdrawn, minute: 4},
	}, map[string][]string{"u10": {"visit"}, "u1": {ledger.NoNominationTask}})
	roster := campaign.Roster{school, sector, community}
	err := st.View(context.Background(), func(tx store.Tx) error {
		all, err := ledger.All(tx, camp, roster)
		if err != nil {
			return err
		}
		for i, u := range roster {
			one, err := ledger.Of(tx, camp, u)
			if err != nil {
				return err
			}
			if !reflect.DeepEqual(all[i], one) {
				t.Errorf("unit %s: All gives\n%+v\nOf gives\n%+v", u.ID, all[i], one)
			}
		}
		if d, n := all[0].DoneCount(); d != 2 || n != 3 || len(all[0].Tasks[0].Returned) != 1 {
			t.Errorf("school %d/%d, returned %d", d, n, len(all[0].Tasks[0].Returned))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Marks are per unit and task; clearing one leaves the others.
func TestNotApplicableMarks(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	at := time.Date(2023, 11, 3, 10, 0, 0, 0, time.UTC)
	err := st.Update(ctx, func(tx store.Tx) error {
		for _, m := range []struct{ unit, task string }{{"u1", "drill"}, {"u1", "visit"}, {"u10", "drill"}} {
			if err := ledger.MarkNotApplicable(tx, camp.ID, m.unit, ledger.NotApplicable{TaskID: m.task, Reason: m.unit + " " + m.task, By: "zhujun", At: at}); err != nil {
				return err
			}
		}
		// A second mark of the same task replaces the first.
		return ledger.MarkNotApplicable(tx, camp.ID, "u1", ledger.NotApplicable{TaskID: "drill", Reason: "无场地", By: "lisi", At: at})
	})
	if err != nil {
		t.Fatal(err)
	}
	of := func(unit string) map[string]ledger.NotApplicable {
		t.Helper()
		var m map[string]ledger.NotApplicable
		if err := st.View(ctx, func(tx store.Tx) (err error) {
			m, err = ledger.NotApplicableOf(tx, camp.ID, unit)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return m
	}
	u1 := of("u1")
	if len(u1) != 2 || u1["drill"].Reason != "无场地" || u1["drill"].By != "lisi" || !u1["drill"].At.Equal(at) || u1["visit"].Reason != "u1 visit" {
		t.Fatalf("u1: %+v", u1)
	}
	if u10 := of("u10"); len(u10) != 1 || u10["drill"].Reason != "u10 drill" {
		t.Fatalf("u10: %+v", u10)
	}
	if none := of("u3"); none == nil || len(none) != 0 {
		t.Fatalf("u3: %#v", none)
	}
	if err := st.Update(ctx, func(tx store.Tx) error { return ledger.ClearNotApplicable(tx, camp.ID, "u1", "drill") }); err != nil {
		t.Fatal(err)
	}
	if u1 := of("u1"); len(u1) != 1 || u1["visit"].TaskID != "visit" {
		t.Fatalf("u1 after clearing drill: %+v", u1)
	}
	if u10 := of("u10"); len(u10) != 1 {
		t.Fatalf("u10 after clearing u1's drill: %+v", u10)
	}
}
