package ledger

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"firebot/campaign"
	"firebot/clock"
	"firebot/store"
	"firebot/store/embedded"
)

var cst = time.FixedZone("CST", 8*3600)

var (
	drill = campaign.Task{ID: "drill", Name: "疏散演练"}
	promo = campaign.Task{ID: "promo", Name: "主题宣传活动", Required: 2, Deadline: "promo_dl"}
	camp  = &campaign.Campaign{
		ID: "2023-119",
		Deadlines: []campaign.Deadline{
			{ID: campaign.DefaultTaskDeadline, Title: "报送截止", Time: time.Date(2023, 12, 1, 23, 59, 59, 0, cst), DateOnly: true},
			{ID: "promo_dl", Title: "宣传截止", Time: time.Date(2023, 11, 24, 17, 0, 0, 0, cst)},
			{ID: "nom", Title: "推荐截止", Time: time.Date(2023, 10, 27, 17, 0, 0, 0, cst)},
		},
		Tasks:      []campaign.Task{drill, promo},
		Nomination: &campaign.Nomination{Title: "最美消防志愿者", ChasedDeadline: "nom"},
	}
	community = campaign.Unit{ID: "xtw", Name: "学田湾社区", Kind: campaign.KindCommunity}
)

func rec(t *testing.T, id string, kind store.Kind, task, status string, created time.Time, payload any) *store.Record {
	t.Helper()
	r := &store.Record{ID: id, Kind: kind, CampaignID: camp.ID, UnitID: community.ID, TaskID: task, Status: status, CreatedAt: created, UpdatedAt: created}
	if payload != nil {
		if err := Encode(r, payload); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func TestTaskLine(t *testing.T) {
	day := time.Date(2023, 11, 3, 9, 0, 0, 0, cst)
	hd1 := rec(t, "HD-0001", store.KindConfirmation, "promo", store.StatusActive, day, Confirmation{Date: "2023-11-03"})
	late := rec(t, "HD-0002", store.KindConfirmation, "promo", store.StatusActive, day, Confirmation{Date: "2023-11-04", Late: true})
	back := rec(t, "HD-0003", store.KindConfirmation, "drill", store.StatusReturned, day, Confirmation{Date: "2023-11-05", ReturnReason: "照片看不清"})
	backNoReason := rec(t, "HD-0004", store.KindConfirmation, "drill", store.StatusReturned, day, Confirmation{Date: "2023-11-05"})
	tests := []struct {
		name string
		ts   TaskStatus
		want string
	}{
		{"missing", TaskStatus{Task: drill, Required: 1}, "⬜ 疏散演练：未完成"},
		{"missing twice", TaskStatus{Task: promo, Required: 2}, "⬜ 主题宣传活动：未完成（需2次）"},
		{"partly", TaskStatus{Task: promo, Required: 2, Records: []*store.Record{hd1}}, "⬜ 主题宣传活动：未完成（已报HD-0001，还差1次）"},
		{"done with a late one", TaskStatus{Task: promo, Required: 2, Records: []*store.Record{hd1, late}}, "✅ 主题宣传活动：HD-0001、HD-0002（逾期）"},
		{"not applicable", TaskStatus{Task: drill, Required: 1, NotApplicable: &NotApplicable{TaskID: "drill", Reason: "无场地"}}, "➖ 疏散演练：不适用（无场地）"},
		{"not applicable without reason", TaskStatus{Task: drill, Required: 1, NotApplicable: &NotApplicable{TaskID: "drill"}}, "➖ 疏散演练：不适用"},
		{"returned", TaskStatus{Task: drill, Required: 1, Returned: []*store.Record{back, backNoReason}},
			"⬜ 疏散演练：未完成；HD-0003被退回：照片看不清，请“修改 HD-0003”后重新提交；HD-0004被退回，请“修改 HD-0004”后重新提交"},
	}
	for _, tt := range tests {
		if got := TaskLine(tt.ts); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

func TestOwedText(t *testing.T) {
	day := time.Date(2023, 11, 3, 9, 0, 0, 0, cst)
	hd1 := rec(t, "HD-0001", store.KindConfirmation, "promo", store.StatusActive, day, nil)
	back := rec(t, "HD-0003", store.KindConfirmation, "drill", store.StatusReturned, day, nil)
	tests := []struct {
		name       string
		tasks      []TaskStatus
		nomination bool
		want       string
	}{
		{"nothing", nil, false, ""},
		{"nomination only", nil, true, "尚未推荐志愿者"},
		{"tasks", []TaskStatus{{Task: drill, Required: 1}, {Task: promo, Required: 2, Records: []*store.Record{hd1}}}, false, "尚未上报：疏散演练、主题宣传活动（还差1次）"},
		{"returned", []TaskStatus{{Task: drill, Required: 1, Returned: []*store.Record{back}}}, true, "尚未推荐志愿者；尚未上报：疏散演练（已退回，待重新上报）"},
	}
	for _, tt := range tests {
		if got := OwedText(tt.tasks, tt.nomination); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestText(t *testing.T) {
	now := time.Date(2023, 10, 26, 15, 0, 0, 0, cst)
	hd1 := rec(t, "HD-0001", store.KindConfirmation, "drill", store.StatusActive, now, Confirmation{})
	tj := rec(t, "TJ-0001", store.KindNomination, "", store.StatusActive, now, Nomination{Late: true})
	tests := []struct {
		name string
		p    UnitProgress
		want []string
	}{
		{"nothing yet", UnitProgress{Unit: community, NominationExpected: true, Tasks: []TaskStatus{{Task: drill, Required: 1}, {Task: promo, Required: 2}}}, []string{
			"【学田湾社区】已完成 0/2 项",
			"⬜ 疏散演练：未完成",
			"⬜ 主题宣传活动：未完成（需2次）",
			"⬜ 最美消防志愿者推荐：尚未推荐（10月27日 17:00前，还剩1天2小时）",
			"未完成的1项须在11月24日 17:00前上报（还剩29天2小时）。", // deadline ids in order: promo_dl, report
			"未完成的1项须在12月1日前上报（还剩36天8小时）。",
		}},
		{"all done", UnitProgress{Unit: community, NominationExpected: true, Nominations: []*store.Record{tj}, Tasks: []TaskStatus{
			{Task: drill, Required: 1, Records: []*store.Record{hd1}},
			{Task: promo, Required: 2, NotApplicable: &NotApplicable{Reason: "已合并"}},
		}}, []string{
			"【学田湾社区】已完成 2/2 项",
			"✅ 疏散演练：HD-0001",
			"➖ 主题宣传活动：不适用（已合并）",
			"✅ 最美消防志愿者推荐：TJ-0001（逾期）",
			"各项工作都已上报，辛苦了！",
		}},
		{"declined nomination", UnitProgress{Unit: community, NominationExpected: true, NoNomination: &NotApplicable{At: time.Date(2023, 10, 20, 9, 0, 0, 0, cst)},
			Tasks: []TaskStatus{{Task: drill, Required: 1, Records: []*store.Record{hd1}}}}, []string{
			"【学田湾社区】已完成 1/1 项",
			"✅ 疏散演练：HD-0001",
			"✅ 最美消防志愿者推荐：本单位不推荐（10月20日登记）",
			"各项工作都已上报，辛苦了！",
		}},
		{"not asked to nominate", UnitProgress{Unit: community, Tasks: []TaskStatus{{Task: drill, Required: 1}}}, []string{
			"【学田湾社区】已完成 0/1 项",
			"⬜ 疏散演练：未完成",
			"未完成的1项须在12月1日前上报（还剩36天8小时）。",
		}},
	}
	for _, tt := range tests {
		if got, want := tt.p.Text(camp, now), strings.Join(tt.want, "\n"); got != want {
			t.Errorf("%s:\n got:\n%s\nwant:\n%s", tt.name, got, want)
		}
	}
}

func TestCounts(t *testing.T) {
	now := time.Date(2023, 11, 3, 9, 0, 0, 0, cst)
	hd := rec(t, "HD-0001", store.KindConfirmation, "drill", store.StatusActive, now, nil)
	tests := []struct {
		name                 string
		p                    UnitProgress
		done, applicable     int
		owed                 int
		missingReport, owesN bool
	}{
		{"empty", UnitProgress{}, 0, 0, 0, false, false},
		{"owes all", UnitProgress{NominationExpected: true, Tasks: []TaskStatus{{Task: drill, Required: 1}, {Task: promo, Required: 2}}}, 0, 2, 3, true, true},
		{"declined", UnitProgress{NominationExpected: true, NoNomination: &NotApplicable{}, Tasks: []TaskStatus{{Task: drill, Required: 1, Records: []*store.Record{hd}}}}, 1, 1, 0, false, false},
		{"not applicable", UnitProgress{Tasks: []TaskStatus{{Task: drill, Required: 1, NotApplicable: &NotApplicable{}}}}, 1, 1, 0, false, false},
	}
	for _, tt := range tests {
		done, applicable := tt.p.DoneCount()
		if done != tt.done || applicable != tt.applicable {
			t.Errorf("%s: DoneCount = %d/%d, want %d/%d", tt.name, done, applicable, tt.done, tt.applicable)
		}
		if got := tt.p.OwedCount(); got != tt.owed {
			t.Errorf("%s: OwedCount = %d, want %d", tt.name, got, tt.owed)
		}
		if got := len(tt.p.MissingFor(campaign.DefaultTaskDeadline)) > 0; got != tt.missingReport {
			t.Errorf("%s: missing for report = %v, want %v", tt.name, got, tt.missingReport)
		}
		if got := tt.p.OwesNomination(); got != tt.owesN {
			t.Errorf("%s: OwesNomination = %v, want %v", tt.name, got, tt.owesN)
		}
	}
}

// TestOf reads a unit's progress from a real store: active, returned and
// withdrawn records, a record counting for a second task, a not-applicable
// mark and 本单位不推荐.
func TestOf(t *testing.T) {
	st, err := embedded.Open(filepath.Join(t.TempDir(), "ledger.db"), embedded.Options{Real: clock.Real{}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	day := time.Date(2023, 11, 3, 9, 0, 0, 0, cst)
	ctx := context.Background()
	err = st.Update(ctx, func(tx store.Tx) error {
		for _, r := range []*store.Record{
			rec(t, "HD-0002", store.KindConfirmation, "promo", store.StatusActive, day.Add(time.Hour), Confirmation{AlsoTasks: []string{"drill"}}),
			rec(t, "HD-0001", store.KindConfirmation, "promo", store.StatusActive, day, Confirmation{}),
			rec(t, "HD-0003", store.KindConfirmation, "drill", store.StatusReturned, day, Confirmation{}),
			rec(t, "HD-0004", store.KindConfirmation, "drill", store.StatusWithdrawn, day, Confirmation{}),
			rec(t, "TJ-0001", store.KindNomination, "", store.StatusWithdrawn, day, Nomination{}),
		} {
			if err := store.PutRecord(tx, r); err != nil {
				return err
			}
		}
		return MarkNotApplicable(tx, camp.ID, community.ID, NotApplicable{TaskID: NoNominationTask, Reason: NoNominationReason, At: day})
	})
	if err != nil {
		t.Fatal(err)
	}
	var p UnitProgress
	if err := st.View(ctx, func(tx store.Tx) error { p, err = Of(tx, camp, community); return err }); err != nil {
		t.Fatal(err)
	}
	ids := func(rs []*store.Record) string { return RecordIDs(rs) }
	if len(p.Tasks) != 2 {
		t.Fatalf("tasks: %+v", p.Tasks)
	}
	if got := ids(p.Tasks[0].Records); got != "HD-0002" {
		t.Errorf("drill records %q, want HD-0002 (also counts for the drill)", got)
	}
	if got := ids(p.Tasks[0].Returned); got != "HD-0003" {
		t.Errorf("drill returned %q", got)
	}
	if got := ids(p.Tasks[1].Records); got != "HD-0001、HD-0002" {
		t.Errorf("promo records %q, want oldest first", got)
	}
	if len(p.Nominations) != 0 || p.NoNomination == nil || p.OwesNomination() {
		t.Errorf("nomination: %v %+v owes=%v", ids(p.Nominations), p.NoNomination, p.OwesNomination())
	}
	if p.OwedCount() != 0 || !p.Reported() {
		t.Errorf("owed %d reported %v", p.OwedCount(), p.Reported())
	}
}
