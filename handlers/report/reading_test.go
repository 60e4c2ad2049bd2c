package report

import (
	"testing"

	"firebot/config/configtest"
)

func TestConfirmWordsOnlyWholeReplies(t *testing.T) {
	for _, w := range []string{"对的", "好的", "没问题", "ok", "OK", "是", "确认无误", "👌", "好的。"} {
		if !isConfirmWord(w) {
			t.Errorf("%q is not a confirmation", w)
		}
	}
	for _, w := range []string{"好的，人数改成90", "不对", "是90人", "ok吗"} {
		if isConfirmWord(w) {
			t.Errorf("%q is a confirmation", w)
		}
	}
}

func TestRelatedTasks(t *testing.T) {
	cfg := configtest.Example(t)
	camp := &cfg.Campaign
	pairs := []struct {
		a, b string
		want bool
	}{
		{"drill_plan_update", "all_hands_drill", true},
		{"drill_plan_update", "evacuation_drill", true},
		{"evacuation_drill", "all_hands_drill", true},
		{"special_training", "skills_training", false},
		{"safety_training", "special_training", false},
		{"warning_education", "drill_plan_update", false},
		{"theme_publicity", "atmosphere", false},
	}
	for _, p := range pairs {
		a, _ := camp.Task(p.a)
		b, _ := camp.Task(p.b)
		if got := related(a, b, camp.Tasks); got != p.want {
			t.Errorf("related(%s, %s) = %v, want %v", p.a, p.b, got, p.want)
		}
	}
}
