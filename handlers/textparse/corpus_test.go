package textparse_test

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"firebot/campaign"
	"firebot/config/configtest"
	"firebot/handlers/textparse"
)

// TestReadCorpus reads every case of testdata/corpus with the example
// configuration's vocabulary, without the dialog: the task (when one
// stands out it must be acceptable), the date, the count and the kinds must
// never be wrong, and non-reports must not read as reports. The dialog-level
// measurement is sim.TestCorpus.
func TestReadCorpus(t *testing.T) {
	cfg := configtest.Example(t)
	camp := cfg.Campaign
	units := map[string]campaign.Unit{}
	for _, u := range cfg.Units {
		units[u.Name] = u
	}
	today := time.Date(2023, 11, 20, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
	for _, file := range []string{"reports.yaml", "own.yaml"} {
		b, err := os.ReadFile("../../testdata/corpus/" + file)
		if err != nil {
			t.Fatal(err)
		}
		var cases []struct {
			ID        string            `yaml:"id"`
			Unit      string            `yaml:"unit"`
			Text      string            `yaml:"text"`
			Task      []string          `yaml:"task"`
			Values    map[string]string `yaml:"values"`
			NotReport bool              `yaml:"not_report"`
		}
		if err := yaml.Unmarshal(b, &cases); err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			u, ok := units[c.Unit]
			if !ok {
				t.Fatalf("%s: unknown unit %s", c.ID, c.Unit)
			}
			tasks := camp.TasksFor(u)
			r := textparse.Read(c.Text, textparse.TermsOf(tasks), today)
			if testing.Verbose() {
				t.Logf("%s %s", c.ID, r.Summary())
			}
			if c.NotReport {
				if r.Report {
					t.Errorf("%s %q reads as a report: %s", c.ID, c.Text, r.Summary())
				}
				continue
			}
			if !r.Report {
				t.Errorf("%s %q not a report: %s", c.ID, c.Text, r.Summary())
			}
			id, ok := r.Task()
			var task campaign.Task
			if ok {
				task, _ = camp.Task(id)
				if !slices.Contains(c.Task, task.Name) {
					t.Errorf("%s %q: task %s, want one of %v (%s)", c.ID, c.Text, task.Name, c.Task, r.Summary())
				}
			} else {
				for _, tid := range r.Tied() {
					tk, _ := camp.Task(tid)
					if !slices.Contains(c.Task, tk.Name) {
						t.Logf("%s: tied candidate %s not acceptable", c.ID, tk.Name)
					}
				}
				t.Logf("%s %q: no single task (%s)", c.ID, c.Text, r.Summary())
				task, _ = campaign.Task{}, false
				for _, tk := range tasks {
					if tk.Name == c.Task[0] {
						task = tk
					}
				}
			}
			if r.HasDate && r.Date.Format("01-02") != c.Values["日期"] {
				t.Errorf("%s %q: date %s, want %s", c.ID, c.Text, r.Date.Format("01-02"), c.Values["日期"])
			}
			checkCounts(t, c.ID, c.Text, task, r, c.Values)
		}
	}
}

func checkCounts(t *testing.T, id, text string, task campaign.Task, r textparse.Reading, values map[string]string) {
	t.Helper()
	var ints []campaign.Field
	for _, f := range task.Fields {
		if f.Type == campaign.FieldInt {
			ints = append(ints, f)
		}
	}
	got := map[string]int{}
	switch {
	case len(ints) > 1:
		names := make([]string, len(ints))
		for i, f := range ints {
			names[i] = f.Name
		}
		for i, v := range r.Assign(names) {
			got[names[i]] = v
		}
	case len(ints) == 1 && slices.ContainsFunc(task.Fields, func(f campaign.Field) bool { return f.Type == campaign.FieldList }):
		if r.Materials.OK {
			got[ints[0].Name] = r.Materials.Value
		}
	case len(ints) == 1 && r.People.OK:
		got[ints[0].Name] = r.People.Value
	}
	for k, want := range values {
		if k == "日期" || k == "种类" {
			continue
		}
		w, err := strconv.Atoi(want)
		if err != nil {
			continue
		}
		for name, v := range got {
			if strings.Contains(name, k) && v != w {
				t.Errorf("%s %q: %s %d, want %d (%s)", id, text, name, v, w, r.Summary())
			}
		}
	}
	if want, ok := values["种类"]; ok && len(r.Kinds) > 0 {
		a, b := slices.Clone(r.Kinds), strings.Split(want, "、")
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(a, b) {
			t.Errorf("%s %q: kinds %v, want %v", id, text, r.Kinds, b)
		}
	}
}
