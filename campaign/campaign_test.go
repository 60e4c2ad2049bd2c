package campaign

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var shanghai = time.FixedZone("CST", 8*3600)

var (
	school    = Unit{ID: "s", Name: "示例小学", Kind: KindOrganisation, Category: CategorySchool}
	hotel     = Unit{ID: "h", Name: "示例酒店", Kind: KindOrganisation, Category: CategoryHotel}
	office    = Unit{ID: "o", Name: "示例写字楼物业", Kind: KindOrganisation, Category: CategoryOther}
	community = Unit{ID: "c", Name: "示例社区", Kind: KindCommunity}
	sector    = Unit{ID: "x", Name: "北片板块", Kind: KindSector}
)

var drillCategories = []Category{
	CategorySchool, CategoryMedical, CategoryEntertainment, CategoryHotel,
	CategoryHazchem, CategoryComplex, CategoryHighRise,
}

func testCampaign() *Campaign {
	return &Campaign{
		ID: "2023-119",
		Tasks: []Task{
			{ID: "evacuation_drill", Name: "疏散演练", AppliesTo: AppliesTo{
				Kinds: []Kind{KindOrganisation}, Categories: drillCategories}},
			{ID: "all_hands_drill", Name: "全员应急疏散演练", AppliesTo: AppliesTo{
				Kinds: []Kind{KindCommunity, KindOrganisation}}},
			{ID: "four_ones", Name: "四个一", AppliesTo: AppliesTo{Kinds: []Kind{KindCommunity}}},
			{ID: "everyone", Name: "默认适用"},
		},
		Deadlines: []Deadline{
			{ID: "nomination_district", Title: "区级推荐截止", Covers: []string{CoversNomination}},
			{ID: "report", Title: "活动资料报送截止", Covers: []string{CoversReport}},
		},
		Nomination: &Nomination{AppliesTo: AppliesTo{Kinds: []Kind{KindCommunity, KindOrganisation}}},
	}
}

func taskIDs(ts []Task) []string {
	var ids []string
	for _, t := range ts {
		ids = append(ids, t.ID)
	}
	return ids
}

func TestTasksFor(t *testing.T) {
	c := testCampaign()
	tests := []struct {
		unit Unit
		want []string
	}{
		{school, []string{"evacuation_drill", "all_hands_drill", "everyone"}},
		{hotel, []string{"evacuation_drill", "all_hands_drill", "everyone"}},
		{office, []string{"all_hands_drill", "everyone"}},
		{community, []string{"all_hands_drill", "four_ones", "everyone"}},
		{sector, nil},
	}
	for _, tt := range tests {
		t.Run(tt.unit.Name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, taskIDs(c.TasksFor(tt.unit))); diff != "" {
				t.Errorf("TasksFor(%s) (-want +got):\n%s", tt.unit.Name, diff)
			}
		})
	}
}

func TestAppliesToUnit(t *testing.T) {
	c := testCampaign()
	evac, _ := c.Task("evacuation_drill")
	allHands, _ := c.Task("all_hands_drill")
	tests := []struct {
		task Task
		unit Unit
		want bool
	}{
		{evac, school, true},
		{evac, community, false},
		{evac, office, false},
		{evac, sector, false},
		{allHands, school, true},
		{allHands, office, true},
		{allHands, community, true},
		{allHands, sector, false},
		{Task{AppliesTo: AppliesTo{Kinds: []Kind{KindSector}}}, sector, true},
		{Task{AppliesTo: AppliesTo{Categories: []Category{CategorySchool}}}, community, false},
	}
	for _, tt := range tests {
		t.Run(tt.task.ID+"/"+tt.unit.Name, func(t *testing.T) {
			if got := tt.task.AppliesToUnit(tt.unit); got != tt.want {
				t.Errorf("AppliesToUnit = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNominationExpected(t *testing.T) {
	c := testCampaign()
	for _, tt := range []struct {
		unit Unit
		want bool
	}{{school, true}, {community, true}, {sector, false}} {
		if got := c.NominationExpected(tt.unit); got != tt.want {
			t.Errorf("NominationExpected(%s) = %v, want %v", tt.unit.Name, got, tt.want)
		}
	}
	c.Nomination = nil
	if c.NominationExpected(school) {
		t.Error("NominationExpected with no nomination rules = true")
	}
}

func TestLookups(t *testing.T) {
	c := testCampaign()
	if d, ok := c.Deadline("report"); !ok || d.Title != "活动资料报送截止" {
		t.Errorf("Deadline(report) = %+v, %v", d, ok)
	}
	if d, ok := c.DeadlineByTitle("区级推荐截止"); !ok || d.ID != "nomination_district" || !d.CoversNomination() {
		t.Errorf("DeadlineByTitle = %+v, %v", d, ok)
	}
	if _, ok := c.Deadline("nope"); ok {
		t.Error("Deadline(nope) found")
	}
	if _, ok := c.Task("nope"); ok {
		t.Error("Task(nope) found")
	}
	r := Roster{school, community, {ID: "c2", Kind: KindCommunity, Officers: []string{"lisi"},
		Chats: []Chat{{ID: "chat-c2"}}}}
	if u, ok := r.ByChat("chat-c2"); !ok || u.ID != "c2" {
		t.Errorf("ByChat = %+v, %v", u, ok)
	}
	if got := taskIDsOfUnits(r.ByOfficer("lisi")); !cmp.Equal(got, []string{"c2"}) {
		t.Errorf("ByOfficer = %v", got)
	}
	if _, ok := r.Unit("missing"); ok {
		t.Error("Unit(missing) found")
	}
}

func taskIDsOfUnits(us []Unit) []string {
	var ids []string
	for _, u := range us {
		ids = append(ids, u.ID)
	}
	return ids
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in       string
		edge     Edge
		want     time.Time
		dateOnly bool
	}{
		{"2023-10-28", EndOfDay, time.Date(2023, 10, 28, 23, 59, 59, 0, shanghai), true},
		{"2023-11-01", StartOfDay, time.Date(2023, 11, 1, 0, 0, 0, 0, shanghai), true},
		{"2023-10-27 17:00", EndOfDay, time.Date(2023, 10, 27, 17, 0, 0, 0, shanghai), false},
		{"2023-10-27 17:00:30", StartOfDay, time.Date(2023, 10, 27, 17, 0, 30, 0, shanghai), false},
		{"2023-11-09T01:30:00Z", StartOfDay, time.Date(2023, 11, 9, 9, 30, 0, 0, shanghai), false},
		{"2023-11-09T09:30:00+08:00", EndOfDay, time.Date(2023, 11, 9, 9, 30, 0, 0, shanghai), false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, dateOnly, err := ParseTime(tt.in, shanghai, tt.edge)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(tt.want) || dateOnly != tt.dateOnly {
				t.Errorf("ParseTime = %v (dateOnly %v), want %v (%v)", got, dateOnly, tt.want, tt.dateOnly)
			}
			if got.Location() != shanghai {
				t.Errorf("location = %v, want the configured one", got.Location())
			}
		})
	}
	for _, bad := range []string{"", "2023-13-01", "10月28日", "2023-10-28 25:00", "tomorrow"} {
		if _, _, err := ParseTime(bad, shanghai, EndOfDay); err == nil {
			t.Errorf("ParseTime(%q) succeeded", bad)
		}
	}
}

func TestDateOnlyDeadlineIsEndOfDayLocal(t *testing.T) {
	got, _, err := ParseTime("2023-10-28", shanghai, EndOfDay)
	if err != nil {
		t.Fatal(err)
	}
	if h, m, s := got.Clock(); h != 23 || m != 59 || s != 59 {
		t.Errorf("clock = %02d:%02d:%02d, want 23:59:59", h, m, s)
	}
	// 23:59:59 in Shanghai is 15:59:59 UTC.
	if want := time.Date(2023, 10, 28, 15, 59, 59, 0, time.UTC); !got.Equal(want) {
		t.Errorf("ParseTime = %v, want %v", got.UTC(), want)
	}
}

func TestPeriodContains(t *testing.T) {
	p := Period{
		Start: time.Date(2023, 11, 1, 0, 0, 0, 0, shanghai),
		End:   time.Date(2023, 11, 30, 23, 59, 59, 0, shanghai),
	}
	for _, tt := range []struct {
		at   time.Time
		want bool
	}{
		{p.Start, true},
		{p.End, true},
		{p.Start.Add(-time.Second), false},
		{p.End.Add(time.Second), false},
	} {
		if got := p.Contains(tt.at); got != tt.want {
			t.Errorf("Contains(%v) = %v, want %v", tt.at, got, tt.want)
		}
	}
}

func TestKindsAndCategories(t *testing.T) {
	if len(Categories()) != 8 {
		t.Errorf("len(Categories()) = %d, want 8", len(Categories()))
	}
	for _, c := range Categories() {
		if !c.Valid() {
			t.Errorf("%s not valid", c)
		}
	}
	if Category("医院").Valid() || Kind("street").Valid() || FieldType("bool").Valid() {
		t.Error("unknown values reported valid")
	}
	if KindOrganisation.Label() != "社会单位" {
		t.Errorf("label = %s", KindOrganisation.Label())
	}
}

func TestSecretRedacted(t *testing.T) {
	const value = "s3cr3t-webhook-key"
	u := Unit{ID: "u", Chats: []Chat{{ID: "c", WebhookKey: value}}}
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("x", "key", u.Chats[0].WebhookKey, "unit", u)
	j, _ := json.Marshal(u)
	outputs := []string{
		fmt.Sprintf("%v %+v %#v %s %q %x", u, u, u, u.Chats[0].WebhookKey, u.Chats[0].WebhookKey, u.Chats[0].WebhookKey),
		string(j),
		logged.String(),
	}
	for _, out := range outputs {
		if strings.Contains(out, value) {
			t.Errorf("secret leaked: %s", out)
		}
	}
	if u.Chats[0].WebhookKey.Reveal() != value {
		t.Error("Reveal lost the value")
	}
}
