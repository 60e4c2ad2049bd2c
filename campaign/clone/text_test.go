package clone

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestTexts(t *testing.T) {
	c := &cloner{delta: 1, to: 2024, years: map[int]bool{2023: true}}
	for _, tt := range []struct {
		in, out string
		note    string // a part of the one note expected, "" for none
	}{
		{"上清寺街道2023年“119”消防宣传月", "上清寺街道2024年“119”消防宣传月", ""},
		{"第32个全国消防日（11月9日）", "第33个全国消防日（11月9日）", ""},
		{"第30个全国消防日", "第31个全国消防日", "应为第33个"},
		{"第三十二个全国消防日", "第三十二个全国消防日", "序数“第三十二个”"},
		{"第5届评选", "第5届评选", "序数“第5届”"},
		{"参照2022年的做法", "参照2022年的做法", "提到 2022"},
		{"每周五下午报送", "每周五下午报送", "周五"},
		{"请于2023-11-09前报送，2023-12-1截止", "请于2024-11-09前报送，2024-12-1截止", ""},
		{"电话 023-63850029，邮箱 554347257@qq.com，12023 号", "电话 023-63850029，邮箱 554347257@qq.com，12023 号", ""},
		{"10月27日17时前报送", "10月27日17时前报送", ""},
		{"2023-119", "2024-119", ""},
	} {
		if got := c.rewriteText(tt.in); got != tt.out {
			t.Errorf("rewriteText(%q) = %q, want %q", tt.in, got, tt.out)
		}
		notes := c.textNotes(tt.in)
		switch {
		case tt.note == "" && len(notes) > 0:
			t.Errorf("%q: unexpected notes %q", tt.in, notes)
		case tt.note != "" && (len(notes) != 1 || !strings.Contains(notes[0], tt.note)):
			t.Errorf("%q: notes %q, want one with %q", tt.in, notes, tt.note)
		}
	}
}

// clone runs Year on a small file and fails on an error.
func clone(t *testing.T, src string, year int) *Result {
	t.Helper()
	res, err := Year([]byte(src), year)
	if err != nil {
		t.Fatalf("Year(%d): %v\n%s", year, err, src)
	}
	return res
}

func TestLeapDay(t *testing.T) {
	src := "campaign:\n  id: c2024\n  period: {start: 2024-02-01, end: 2024-02-29}\n  announced: 2024-01-31\n"
	res := clone(t, src, 2025)
	want := "campaign:\n  id: c2025\n  period: {start: 2025-02-01, end: 2025-02-28}  # 复核：2025 年没有 2 月 29 日，改为 2 月 28 日，请确认\n  announced: 2025-01-31\n"
	if string(res.Data) != want {
		t.Errorf("to 2025:\n%s\nwant:\n%s", res.Data, want)
	}
	if got := string(clone(t, src, 2028).Data); !strings.Contains(got, "end: 2028-02-29}\n") {
		t.Errorf("to 2028 (leap) lost 29 February:\n%s", got)
	}
	// 28 February stays 28 February in a leap year.
	if got := string(clone(t, strings.ReplaceAll(strings.ReplaceAll(src, "2024", "2023"), "02-29", "02-28"), 2024).Data); !strings.Contains(got, "end: 2024-02-28}\n") || strings.Contains(got, "复核") {
		t.Errorf("2023-02-28 to 2024:\n%s", got)
	}
}

// Quoting, block scalars, flow collections and comments survive; what
// cannot be edited in place is marked rather than guessed.
func TestStylesKept(t *testing.T) {
	src := `# 2023 年的活动
timezone: Asia/Shanghai
store:
  path: data/2023.db   # 数据文件
campaign:
  id: "neighbourhood"
  name: '街道''2023年''宣传月'
  announced: "2023-10-26"
  period:
    start: 2023-11-01   # 开始
    end: 2023-11-30
  deadlines:
    - {id: report, title: 2023年报送, time: "2023-12-01 17:00", covers: [report]}
  tasks:
    - id: t
      name: 任务
      description: >-
        2023年11月起开展，
        每周五汇总。
      note: 这是一个跨行的
        2023年说明
reminders:
  plans:
    - id: p
      at: ["2023-11-08 16:00", 2023-11-09 08:00]
`
	res := clone(t, src, 2024)
	want := `# 2023 年的活动
timezone: Asia/Shanghai
store:
  path: data/2023.db   # 数据文件  # 复核：含有 2023，不是活动的日期或文字，未改动，请确认
campaign:
  id: "neighbourhood-2024"  # 复核：编号里没有年份，已在末尾加上 2024，请确认
  name: '街道''2024年''宣传月'
  announced: "2024-10-26"
  period:
    start: 2024-11-01   # 开始
    end: 2024-11-30
  deadlines:
    - {id: report, title: 2024年报送, time: "2024-12-01 17:00", covers: [report]}  # 复核：截止日 2024-12-01 是星期日，未调整，请确认
  tasks:
    - id: t
      name: 任务
      description: >-  # 复核：提到“周五”，换年后星期几会变，请确认
        2024年11月起开展，
        每周五汇总。
      # 复核：未能自动修改，请手工改为 "这是一个跨行的 2024年说明"
      note: 这是一个跨行的
        2023年说明
reminders:
  plans:
    - id: p
      at: ["2024-11-08 16:00", 2024-11-09 08:00]
`
	if string(res.Data) != want {
		t.Errorf("got:\n%s\nwant:\n%s", res.Data, want)
	}
	if fmt.Sprint(res.CommentLines) != "[1]" {
		t.Errorf("comment lines mentioning 2023: %v, want [1]", res.CommentLines)
	}
	if res.OldID != "neighbourhood" || res.NewID != "neighbourhood-2024" {
		t.Errorf("id %q → %q", res.OldID, res.NewID)
	}
}

func TestComment(t *testing.T) {
	for line, want := range map[string]string{
		"# 2023 年":                     "# 2023 年",
		"  key: value   # 说明":          "# 说明",
		`  key: "a # b"  # c`:          "# c",
		`  key: 'a # b'`:               "",
		"  url: http://x/#frag":        "",
		`  k: "esc \" # still" # real`: "# real",
		"  - {a: 1, b: '#x'}   # flow": "# flow",
	} {
		if got := comment(line); got != want {
			t.Errorf("comment(%q) = %q, want %q", line, got, want)
		}
	}
}

func TestRefusals(t *testing.T) {
	for _, tt := range []struct {
		src  string
		year int
		err  error
	}{
		{"campaign: {id: x, announced: 2023-10-26}\n", 2023, ErrSameYear},
		{"campaign: {id: x, announced: 2023-10-26}\n", 99999, ErrYear},
		{"units: []\n", 2024, ErrNotCampaign},
		{"campaign: {id: x}\n", 2024, ErrNotCampaign},
		{"- 1\n- 2\n", 2024, ErrNotCampaign},
		{"", 2024, ErrNotCampaign},
	} {
		if _, err := Year([]byte(tt.src), tt.year); !errors.Is(err, tt.err) {
			t.Errorf("Year(%q, %d) = %v, want %v", tt.src, tt.year, err, tt.err)
		}
	}
	if _, err := Year([]byte("campaign: [\n"), 2024); err == nil {
		t.Error("broken YAML accepted")
	}
	// An id that cannot be edited in place would keep the old campaign's
	// records: refused rather than marked.
	if _, err := Year([]byte("campaign:\n  id: street\n    119\n  announced: 2023-10-26\n"), 2024); err == nil || !strings.Contains(err.Error(), "campaign.id") {
		t.Errorf("unchangeable id: %v", err)
	}
}

// Whatever the input, Year never panics, and what it returns parses.
func FuzzYear(f *testing.F) {
	f.Add([]byte("campaign:\n  id: 2023-119\n  announced: 2023-10-26\n  name: 2023年\n"), 2024)
	f.Add([]byte("campaign: {announced: \"2024-02-29\", note: \"a\\\"2024\"}\n"), 2025)
	f.Add([]byte("campaign:\n  announced: 2023-10-26\n  note: |\n    2023\n  x: &a 2023\n  y: *a\n"), 2030)
	f.Fuzz(func(t *testing.T, src []byte, year int) {
		res, err := Year(src, year)
		if err != nil {
			return
		}
		var n yaml.Node
		if err := yaml.Unmarshal(res.Data, &n); err != nil {
			t.Fatalf("output does not parse: %v\n%s", err, res.Data)
		}
	})
}

// A file saved on Windows keeps its line ends; marks go before them.
func TestCRLF(t *testing.T) {
	src := "campaign:\r\n  id: 2023-119 # 编号\r\n  announced: 2023-10-26\r\n  deadlines:\r\n    - id: report\r\n      time: 2023-12-01\r\n"
	want := "campaign:\r\n  id: 2024-119 # 编号\r\n  announced: 2024-10-26\r\n  deadlines:\r\n    - id: report\r\n      time: 2024-12-01  # 复核：截止日 2024-12-01 是星期日，未调整，请确认\r\n"
	if got := string(clone(t, src, 2024).Data); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
