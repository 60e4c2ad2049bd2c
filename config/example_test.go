package config

import (
	"os"
	"testing"
	"time"

	_ "time/tzdata"

	"github.com/google/go-cmp/cmp"

	"firebot/campaign"
)

// examplePath is the example configuration. Every other package loads it
// with configtest; configtest imports config, so config's own tests cannot.
const examplePath = "../config.example.yaml"

func loadExample(t *testing.T) *Config {
	t.Helper()
	data, err := os.ReadFile(examplePath)
	if err != nil {
		t.Fatal(err)
	}
	cfg, problems := Parse("config.example.yaml", data, nil)
	for _, p := range problems {
		t.Errorf("problem: %s", p)
	}
	if cfg == nil {
		t.Fatal("Parse returned nil config")
	}
	return cfg
}

func TestExampleParses(t *testing.T) {
	cfg := loadExample(t)
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	at := func(y int, mo time.Month, d, h, mi, s int) time.Time { return time.Date(y, mo, d, h, mi, s, 0, sh) }

	c := cfg.Campaign
	if c.ID != "2023-119" || c.Theme != "预防为主，生命至上" || c.Slogan != "关注消防、学习消防、参与消防" {
		t.Errorf("campaign header = %q %q %q", c.ID, c.Theme, c.Slogan)
	}
	checkTime := func(name string, got, want time.Time) {
		t.Helper()
		if !got.Equal(want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
		if got.Location().String() != "Asia/Shanghai" {
			t.Errorf("%s location = %v", name, got.Location())
		}
	}
	checkTime("announced", c.Announced, at(2023, 10, 26, 0, 0, 0))
	checkTime("period.start", c.Period.Start, at(2023, 11, 1, 0, 0, 0))
	checkTime("period.end", c.Period.End, at(2023, 11, 30, 23, 59, 59))

	deadlines := map[string]struct {
		at       time.Time
		dateOnly bool
	}{
		"nomination_district": {at(2023, 10, 27, 17, 0, 0), false},
		"nomination_street":   {at(2023, 10, 28, 23, 59, 59), true},
		"report":              {at(2023, 12, 1, 23, 59, 59), true},
	}
	for id, want := range deadlines {
		d, ok := c.Deadline(id)
		if !ok {
			t.Errorf("deadline %s missing", id)
			continue
		}
		checkTime("deadline "+id, d.Time, want.at)
		if d.DateOnly != want.dateOnly {
			t.Errorf("deadline %s DateOnly = %v", id, d.DateOnly)
		}
	}
	e, ok := c.Event("main_event")
	if !ok || e.Place != "学田湾正街59号" || e.Name != "消防集中宣传活动" {
		t.Errorf("main_event = %+v", e)
	}
	checkTime("main_event", e.Time, at(2023, 11, 9, 9, 30, 0))

	var ids []string
	for _, tk := range c.Tasks {
		ids = append(ids, tk.ID)
		if tk.Deadline != "report" || tk.Required != 1 || len(tk.Keywords) == 0 || len(tk.Fields) == 0 {
			t.Errorf("task %s: deadline %q required %d keywords %v fields %d",
				tk.ID, tk.Deadline, tk.Required, tk.Keywords, len(tk.Fields))
		}
		if !tk.DateWindow.Start.Equal(c.Period.Start) || !tk.DateWindow.End.Equal(c.Period.End) {
			t.Errorf("task %s window = %+v, want the period", tk.ID, tk.DateWindow)
		}
	}
	wantIDs := []string{"theme_publicity", "evacuation_drill", "all_hands_drill", "special_training",
		"skills_training", "warning_education", "safety_training", "drill_plan_update",
		"cloud_learning", "four_ones", "atmosphere"}
	if diff := cmp.Diff(wantIDs, ids); diff != "" {
		t.Errorf("task ids (-want +got):\n%s", diff)
	}
	if f, ok := mustTask(t, c, "cloud_learning").Field("registrations"); !ok || f.Type != campaign.FieldInt {
		t.Errorf("cloud_learning.registrations = %+v", f)
	}
	if f, ok := mustTask(t, c, "atmosphere").Field("kinds"); !ok || f.Type != campaign.FieldList {
		t.Errorf("atmosphere.kinds = %+v", f)
	}

	n := c.Nomination
	if n == nil {
		t.Fatal("no nomination rules")
	}
	if n.MinYears != 2 || n.DeedsLimit != 1000 || len(n.Scopes) != 3 ||
		n.ChasedDeadline != "nomination_district" || n.LateAfter != "nomination_street" ||
		!cmp.Equal(n.Kinds, []campaign.NomineeKind{campaign.NomineeIndividual, campaign.NomineeCollective}) {
		t.Errorf("nomination = %+v", n)
	}
	if len(c.Contacts) != 1 || c.Contacts[0].Phone != "023-63850029" || c.Contacts[0].Mailbox != "554347257@qq.com" {
		t.Errorf("contacts = %+v", c.Contacts)
	}

	counts := map[campaign.Kind]int{}
	cats := map[campaign.Category]int{}
	for _, u := range cfg.Units {
		counts[u.Kind]++
		if u.Kind == campaign.KindOrganisation {
			cats[u.Category]++
		}
		if len(u.Officers) < 1 || len(u.Officers) > 2 {
			t.Errorf("unit %s has %d officers", u.ID, len(u.Officers))
		}
	}
	if counts[campaign.KindSector] < 3 || counts[campaign.KindCommunity] < 8 || counts[campaign.KindOrganisation] < 14 {
		t.Errorf("roster counts = %v", counts)
	}
	for _, cat := range campaign.Categories()[:7] {
		if cats[cat] == 0 {
			t.Errorf("no organisation of category %s", cat)
		}
	}

	if !cfg.Placeholder() || !cfg.PlaceholderCredentials() || !cfg.UsesRealWeCom() {
		t.Errorf("example: Placeholder %v PlaceholderCredentials %v UsesRealWeCom %v",
			cfg.Placeholder(), cfg.PlaceholderCredentials(), cfg.UsesRealWeCom())
	}
	if cfg.Store.Driver != DriverEmbedded || cfg.Privacy.Retention != 180*24*time.Hour ||
		cfg.Reminders.QuietHours.String() != "21:00-08:00" || len(cfg.Access.OfficeUsers) == 0 {
		t.Errorf("runtime settings = %+v %+v %+v", cfg.Store, cfg.Privacy, cfg.Reminders)
	}
	if cfg.Line("campaign.deadlines[1].time") == 0 {
		t.Error("Line of campaign.deadlines[1].time unknown")
	}
}

func mustTask(t *testing.T, c campaign.Campaign, id string) campaign.Task {
	t.Helper()
	tk, ok := c.Task(id)
	if !ok {
		t.Fatalf("task %s missing", id)
	}
	return tk
}

func TestExampleApplicability(t *testing.T) {
	cfg := loadExample(t)
	c := &cfg.Campaign
	evac := mustTask(t, *c, "evacuation_drill")
	allHands := mustTask(t, *c, "all_hands_drill")
	for _, u := range cfg.Units {
		wantEvac := u.Kind == campaign.KindOrganisation && u.Category != campaign.CategoryOther
		if got := evac.AppliesToUnit(u); got != wantEvac {
			t.Errorf("evacuation_drill applies to %s = %v, want %v", u.Name, got, wantEvac)
		}
		wantAll := u.Kind != campaign.KindSector
		if got := allHands.AppliesToUnit(u); got != wantAll {
			t.Errorf("all_hands_drill applies to %s = %v, want %v", u.Name, got, wantAll)
		}
		if got := c.NominationExpected(u); got != wantAll {
			t.Errorf("NominationExpected(%s) = %v", u.Name, got)
		}
	}
}
