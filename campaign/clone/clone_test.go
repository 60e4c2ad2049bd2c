package clone

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"go.yaml.in/yaml/v3"

	"firebot/campaign"
	"firebot/config"
	"firebot/config/configtest"
	"firebot/scheduler"
)

// cloneExample clones config.example.yaml to year and loads the result
// as firebot would, failing on any problem config check would report.
func cloneExample(t *testing.T, year int) (*Result, *config.Config, []byte) {
	t.Helper()
	src, err := os.ReadFile(configtest.Path())
	if err != nil {
		t.Fatal(err)
	}
	res, err := Year(src, year)
	if err != nil {
		t.Fatalf("clone to %d: %v", year, err)
	}
	cfg, problems := config.Parse("clone.yaml", res.Data, func(string) string { return "" })
	if len(problems) == 0 {
		problems = scheduler.Check(cfg)
	}
	if len(problems) > 0 {
		t.Fatalf("clone to %d does not pass config check: %v", year, problems)
	}
	return res, cfg, src
}

func TestExampleToNextYears(t *testing.T) {
	old := configtest.Example(t)
	for _, tt := range []struct {
		year     int
		occasion string
		weekend  []string // deadline paths marked as falling on a weekend
	}{
		{2024, "第33个全国消防日（11月9日）", []string{"campaign.deadlines[0].time", "campaign.deadlines[2].time"}},
		{2025, "第34个全国消防日（11月9日）", nil},
		{2028, "第37个全国消防日（11月9日）", []string{"campaign.deadlines[1].time"}},
	} {
		t.Run(time.Date(tt.year, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006"), func(t *testing.T) {
			res, cfg, src := cloneExample(t, tt.year)
			c := cfg.Campaign
			y := tt.year
			if want := time.Date(y, 11, 9, 9, 30, 0, 0, cfg.Location); !c.Events[0].Time.Equal(want) {
				t.Errorf("main event at %v, want %v", c.Events[0].Time, want)
			}
			if want := strings.Replace(old.Campaign.ID, "2023", itoa(y), 1); c.ID != want || res.NewID != want || res.OldID != old.Campaign.ID {
				t.Errorf("id %q (result %q → %q), want %q", c.ID, res.OldID, res.NewID, want)
			}
			if !strings.Contains(c.Name, itoa(y)+"年") || c.Occasion != tt.occasion {
				t.Errorf("name %q, occasion %q", c.Name, c.Occasion)
			}
			// Every calendar date moved to the same month, day and time.
			pairs := [][2]time.Time{
				{old.Campaign.Announced, c.Announced},
				{old.Campaign.Period.Start, c.Period.Start},
				{old.Campaign.Period.End, c.Period.End},
			}
			for i, tk := range c.Tasks {
				pairs = append(pairs, [2]time.Time{old.Campaign.Tasks[i].DateWindow.Start, tk.DateWindow.Start},
					[2]time.Time{old.Campaign.Tasks[i].DateWindow.End, tk.DateWindow.End})
			}
			for i := range c.Deadlines {
				pairs = append(pairs, [2]time.Time{old.Campaign.Deadlines[i].Time, c.Deadlines[i].Time})
			}
			for _, p := range pairs {
				if p[1].Year() != y || p[0].Month() != p[1].Month() || p[0].Day() != p[1].Day() || p[0].Format("15:04:05") != p[1].Format("15:04:05") {
					t.Errorf("%v moved to %v", p[0], p[1])
				}
			}
			// No 2023 is left anywhere but in comments.
			var doc yaml.Node
			if err := yaml.Unmarshal(res.Data, &doc); err != nil {
				t.Fatal(err)
			}
			walk(&doc, "", func(s scalar) {
				if strings.Contains(s.n.Value, "2023") {
					t.Errorf("%s (line %d) still says %q", s.path, s.n.Line, s.n.Value)
				}
			})
			// Weekend deadlines are marked in the file, and only they.
			var marked []string
			for _, r := range res.Reviews {
				if strings.HasPrefix(r.Note, "截止日") {
					marked = append(marked, r.Path)
					line := strings.Split(string(res.Data), "\n")[r.Line-1]
					if !strings.Contains(line, "# "+ReviewMark+r.Note) || !strings.Contains(r.Note, "星期") {
						t.Errorf("line %d lacks the mark %q: %q", r.Line, r.Note, line)
					}
				}
			}
			if diff := cmp.Diff(tt.weekend, marked); diff != "" {
				t.Errorf("weekend deadlines marked (-want +got):\n%s", diff)
			}
			// Layout and comments: every line is the old one but for the
			// lines the clone reports.
			touched := map[int]bool{}
			for _, ch := range res.Changes {
				touched[ch.Line] = true
			}
			for _, r := range res.Reviews {
				touched[r.Line] = true
			}
			oldLines, newLines := strings.Split(string(src), "\n"), strings.Split(string(res.Data), "\n")
			if len(oldLines) != len(newLines) {
				t.Fatalf("%d lines became %d", len(oldLines), len(newLines))
			}
			for i := range oldLines {
				if oldLines[i] != newLines[i] && !touched[i+1] {
					t.Errorf("line %d changed but is not reported:\n-%s\n+%s", i+1, oldLines[i], newLines[i])
				}
			}
			// Roster, tasks, contacts, nomination and reminder plans kept.
			if diff := cmp.Diff(old.Units, cfg.Units, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
				t.Errorf("roster changed:\n%s", diff)
			}
			for _, d := range []string{
				cmp.Diff(old.Campaign.Tasks, c.Tasks, cmpopts.IgnoreFields(campaign.Task{}, "DateWindow")), cmp.Diff(old.Campaign.Contacts, c.Contacts),
				cmp.Diff(old.Campaign.Nomination, c.Nomination), cmp.Diff(old.Access, cfg.Access),
			} {
				if d != "" {
					t.Errorf("kept part changed:\n%s", d)
				}
			}
			for i, p := range cfg.Reminders.Plans {
				o := old.Reminders.Plans[i]
				o.From, o.To = strings.Replace(o.From, "2023", itoa(y), 1), strings.Replace(o.To, "2023", itoa(y), 1)
				if diff := cmp.Diff(o, p); diff != "" {
					t.Errorf("plan %s:\n%s", p.ID, diff)
				}
			}
		})
	}
}

func itoa(y int) string { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006") }
