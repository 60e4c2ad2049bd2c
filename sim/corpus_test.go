package sim_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"firebot/sim"
	"firebot/store"
)

// The report corpus (testdata/corpus, see its README): free-text activity
// reports as people type them, each played through the real callback path
// and scored against what a careful human reader would record.

// corpusFailOnWrong makes a case that proposes a wrong value fail the test.
const corpusFailOnWrong = true

// corpusTarget is the share of cases that must reach a record at ideal
// effort.
const corpusTarget = 0.95

type corpusCase struct {
	ID        string            `yaml:"id"`
	Unit      string            `yaml:"unit"`
	Text      string            `yaml:"text"`
	Task      []string          `yaml:"task"`
	Values    map[string]string `yaml:"values"`
	Missing   int               `yaml:"missing"`
	Ambiguous bool              `yaml:"ambiguous"`
	NotReport bool              `yaml:"not_report"`
}

// ideal is how many messages a case should take.
func (c corpusCase) ideal() int {
	if c.NotReport {
		return 1
	}
	n := 2 + c.Missing
	if c.Ambiguous {
		n++
	}
	return n
}

type corpusResult struct {
	sent       int
	understood bool
	recorded   bool
	wrong      []string // wrong values proposed, "名称：值 (want …)"
	log        strings.Builder
}

func (r *corpusResult) ideal(c corpusCase) bool {
	if c.NotReport {
		return r.understood && r.sent <= c.ideal()
	}
	return r.understood && r.recorded && len(r.wrong) == 0 && r.sent <= c.ideal()
}

func loadCorpus(t *testing.T, name string) []corpusCase {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "corpus", name))
	if err != nil {
		t.Fatal(err)
	}
	var cs []corpusCase
	if err := yaml.Unmarshal(b, &cs); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return cs
}

func TestCorpus(t *testing.T) {
	for _, name := range []string{"reports.yaml", "own.yaml"} {
		t.Run(strings.TrimSuffix(name, ".yaml"), func(t *testing.T) {
			if _, err := os.Stat(filepath.Join("..", "testdata", "corpus", name)); err != nil {
				t.Skip(name + " not present")
			}
			runCorpus(t, loadCorpus(t, name))
		})
	}
}

func runCorpus(t *testing.T, cases []corpusCase) {
	at := time.Date(2023, 11, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	var x, wrong, notUnderstood, sent, ideal int
	for _, c := range cases {
		// Each case on a store of its own: a case is one person's report,
		// not the n-th report of the unit (which the bot would rightly ask
		// about as a possible duplicate of an earlier case).
		s, _ := campaignSim(t, t.TempDir(), at)
		chat := ""
		for _, u := range s.Config.Units {
			if u.Name == c.Unit && len(u.Chats) > 0 {
				chat = u.Chats[0].ID
			}
		}
		if chat == "" {
			chat = bindCorpusChat(t, s, c.Unit)
		}
		r := playCase(t, s, chat, c)
		s.Close()
		sent += r.sent
		ideal += c.ideal()
		if r.ideal(c) {
			x++
		}
		if len(r.wrong) > 0 {
			wrong++
		}
		if !r.understood && !c.NotReport {
			notUnderstood++
		}
		if !r.ideal(c) || len(r.wrong) > 0 {
			t.Logf("case %s (%d messages, ideal %d, wrong %v):\n%s", c.ID, r.sent, c.ideal(), r.wrong, r.log.String())
		}
	}
	line := fmt.Sprintf("corpus: %d/%d at ideal effort; %d proposed a wrong value; %d not understood; %d messages for an ideal %d",
		x, len(cases), wrong, notUnderstood, sent, ideal)
	fmt.Println(line)
	t.Log(line)
	if corpusFailOnWrong && wrong > 0 {
		t.Errorf("%d cases proposed a wrong value", wrong)
	}
	if float64(x) < corpusTarget*float64(len(cases)) {
		t.Errorf("%d of %d cases at ideal effort, below the target of %.0f%%", x, len(cases), corpusTarget*100)
	}
}

// bindCorpusChat binds a new group to a unit that has none, as its officer
// would (绑定 单位名, then 是).
func bindCorpusChat(t *testing.T, s *sim.Sim, unit string) string {
	t.Helper()
	for _, u := range s.Config.Units {
		if u.Name != unit {
			continue
		}
		if len(u.Officers) == 0 {
			t.Fatalf("unit %s has no officer to bind a group", unit)
		}
		chat := "chat_corpus_" + u.ID
		rep, err := s.Say(context.Background(), chat, u.Officers[0], "绑定 "+unit)
		for i := 0; err == nil && strings.Contains(rep, "吗") && i < 2; i++ {
			rep, err = s.Say(context.Background(), chat, u.Officers[0], "是")
		}
		if err != nil || !strings.Contains(rep, "绑定") {
			t.Fatalf("binding %s: %q %v", unit, rep, err)
		}
		return chat
	}
	t.Fatalf("unknown unit %q", unit)
	return ""
}

var (
	reRecordID  = regexp.MustCompile(`HD-\d+`)
	reChoice    = regexp.MustCompile(`(?m)^(\d+)\. (.+)$`)
	reMonthDay  = regexp.MustCompile(`(\d+)月(\d+)日`)
	reLeadCount = regexp.MustCompile(`^\d+`)
)

// playCase sends the case's text and answers like the person would, with
// the case's facts, until the record is made or 12 messages were sent.
func playCase(t *testing.T, s *sim.Sim, chat string, c corpusCase) *corpusResult {
	t.Helper()
	ctx := context.Background()
	r := &corpusResult{}
	user := "corpus_" + c.ID
	say := func(text string) string {
		rep, err := s.Say(ctx, chat, user, text)
		if err != nil {
			t.Fatalf("case %s: %q: %v", c.ID, text, err)
		}
		r.sent++
		fmt.Fprintf(&r.log, "  > %s\n  < %s\n", text, strings.ReplaceAll(rep, "\n", "\n    "))
		return rep
	}
	reply := say(c.Text)
	started := hasDialog(t, s, chat, user)
	if c.NotReport {
		r.understood = !started
		if started {
			say("取消")
		}
		return r
	}
	r.understood = started
	checkRecognised(c, reply, r)
	if !started {
		reply = say("上报")
	}
	corrected := map[string]bool{}
	for r.sent < 12 {
		switch {
		case strings.Contains(reply, "成功") && reRecordID.MatchString(reply):
			r.recorded = true
			return r
		case strings.Contains(reply, "请核对"):
			name, value := checkChecklist(c, reply, r)
			if name == "" || corrected[name] {
				reply = say("确认")
				continue
			}
			corrected[name] = true
			reply = say(name + " " + value)
		case strings.Contains(reply, "请回复序号"):
			reply = say(answerChoice(c, reply))
		case strings.Contains(reply, "确认无误吗"):
			reply = say("是")
		case strings.Contains(reply, "哪天"):
			reply = say(dayText(c.Values["日期"]))
		case strings.Contains(reply, "是多少"):
			q := lineWith(reply, "是多少")
			reply = say(factFor(c, q[:strings.Index(q, "是多少")], "0"))
		case strings.Contains(reply, "有哪些"):
			reply = say(factFor(c, "种类", "横幅"))
		case strings.Contains(reply, "请填写"):
			q := lineWith(reply, "请填写")
			reply = say(factFor(c, q, "无"))
		case strings.Contains(reply, "（可选"), strings.Contains(reply, "有活动照片吗"):
			reply = say("跳过")
		default:
			fmt.Fprintf(&r.log, "  (no rule to answer this)\n")
			say("取消")
			return r
		}
	}
	say("取消")
	return r
}

func hasDialog(t *testing.T, s *sim.Sim, chat, user string) bool {
	t.Helper()
	found := false
	err := s.Service.Store.View(context.Background(), func(tx store.Tx) error {
		_, err := store.GetDialog(tx, chat, user)
		found = err == nil
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

func lineWith(text, w string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, w) {
			return l
		}
	}
	return ""
}

// factFor is the case's value for a field whose name contains the key.
func factFor(c corpusCase, name, otherwise string) string {
	keys := make([]string, 0, len(c.Values))
	for k := range c.Values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if k != "日期" && strings.Contains(name, k) {
			return c.Values[k]
		}
	}
	return otherwise
}

func dayText(mmdd string) string {
	m, d, _ := strings.Cut(mmdd, "-")
	mi, _ := strconv.Atoi(m)
	di, _ := strconv.Atoi(d)
	return fmt.Sprintf("%d月%d日", mi, di)
}

// answerChoice answers a numbered question: the unit, else the first
// acceptable task listed.
func answerChoice(c corpusCase, q string) string {
	opts := reChoice.FindAllStringSubmatch(q, -1)
	for _, o := range opts {
		if strings.TrimSpace(o[2]) == c.Unit {
			return o[1]
		}
	}
	for _, want := range c.Task {
		for _, o := range opts {
			if strings.TrimSpace(o[2]) == want {
				return o[1]
			}
		}
	}
	if len(c.Task) > 0 {
		return c.Task[0]
	}
	return "1"
}

// checkRecognised checks what the first reply says it recognised
// ("已识别：项目“…”，日期 11月3日"): a wrong task or date there is proposed.
func checkRecognised(c corpusCase, reply string, r *corpusResult) {
	l := lineWith(reply, "已识别：")
	if l == "" {
		return
	}
	if m := reRecognisedTask.FindStringSubmatch(l); m != nil && len(c.Task) > 0 && !slices.Contains(c.Task, m[1]) {
		r.wrong = append(r.wrong, "已识别项目 "+m[1])
	}
	if m := reRecognisedDay.FindStringSubmatch(l); m != nil && c.Values["日期"] != "" {
		mi, _ := strconv.Atoi(m[1])
		di, _ := strconv.Atoi(m[2])
		if got := fmt.Sprintf("%02d-%02d", mi, di); got != c.Values["日期"] {
			r.wrong = append(r.wrong, "已识别日期 "+got)
		}
	}
}

var (
	reRecognisedTask = regexp.MustCompile(`项目“(.+?)”(?:，|。|$)`)
	reRecognisedDay  = regexp.MustCompile(`日期 (\d+)月(\d+)日`)
)

// checkChecklist compares the checklist with the case's values. It records
// wrong values proposed and returns the first field to correct ("" when
// none) with its right value.
func checkChecklist(c corpusCase, list string, r *corpusResult) (string, string) {
	lines := map[string]string{}
	var order []string
	for _, l := range strings.Split(list, "\n") {
		name, value, ok := strings.Cut(l, "：")
		if !ok || strings.ContainsAny(name, " “") {
			continue
		}
		lines[name] = strings.TrimSpace(value)
		order = append(order, name)
	}
	fixName, fixValue := "", ""
	fix := func(name, value string) {
		if fixName == "" {
			fixName, fixValue = name, value
		}
	}
	if task, ok := lines["项目"]; ok && len(c.Task) > 0 {
		main := task
		if i := strings.Index(main, "（"); i >= 0 && !strings.HasPrefix(main[i:], "（三个一）") {
			main = main[:i]
		}
		if !slices.ContainsFunc(c.Task, func(n string) bool { return strings.HasPrefix(task, n) }) {
			r.wrong = append(r.wrong, "项目："+task)
			fix("项目", c.Task[0])
		}
		_ = main
	}
	keys := make([]string, 0, len(c.Values))
	for k := range c.Values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		want := c.Values[k]
		name := ""
		for _, n := range order {
			if n != "项目" && strings.Contains(n, k) {
				name = n
				break
			}
		}
		if name == "" {
			continue
		}
		got := lines[name]
		if strings.Contains(got, "未填") {
			fix(name, answerFor(k, want))
			continue
		}
		var ok, counts bool
		switch {
		case k == "日期":
			counts = true
			m := reMonthDay.FindStringSubmatch(got)
			if m != nil {
				mi, _ := strconv.Atoi(m[1])
				di, _ := strconv.Atoi(m[2])
				ok = fmt.Sprintf("%02d-%02d", mi, di) == want
			}
		case k == "种类":
			counts = true
			a, b := strings.Split(got, "、"), strings.Split(want, "、")
			slices.Sort(a)
			slices.Sort(b)
			ok = slices.Equal(a, b)
		case isNumber(want):
			counts = true
			ok = reLeadCount.FindString(got) == want
		default:
			ok = strings.Contains(got, want)
		}
		if !ok {
			if counts {
				r.wrong = append(r.wrong, name+"："+got+"（应为 "+want+"）")
			}
			fix(name, answerFor(k, want))
		}
	}
	return fixName, fixValue
}

func answerFor(k, want string) string {
	if k == "日期" {
		return dayText(want)
	}
	return want
}

func isNumber(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}
