package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"firebot/workbook"
)

// cloneTo runs campaign clone on the test copy of the example config.
func cloneTo(t *testing.T, from string, year int) (path, stdout string) {
	t.Helper()
	path = filepath.Join(filepath.Dir(from), "config-"+strconv.Itoa(year)+".yaml")
	code, out, errOut := runArgs(t, context.Background(), "campaign", "clone", "-from", from, "-to", path, "-year", strconv.Itoa(year))
	if code != 0 {
		t.Fatalf("campaign clone to %d: exit %d\n%s\n%s", year, code, out, errOut)
	}
	return path, out
}

func TestCampaignClone(t *testing.T) {
	for _, tt := range []struct {
		year    int
		event   string
		weekend []string // deadline marks printed and written
	}{
		{2024, "time: 2024-11-09 09:30", []string{"截止日 2024-10-27 是星期日", "截止日 2024-12-01 是星期日"}},
		{2025, "time: 2025-11-09 09:30", nil},
		{2028, "time: 2028-11-09 09:30", []string{"截止日 2028-10-28 是星期六"}},
	} {
		t.Run(strconv.Itoa(tt.year), func(t *testing.T) {
			y := strconv.Itoa(tt.year)
			path, out := cloneTo(t, tempConfig(t), tt.year)
			for _, want := range append([]string{
				"已生成 " + y + " 年的活动配置",
				"campaign.id                 2023-119 → " + y + "-119",
				"campaign.deadlines[2].time  2023-12-01 → " + y + "-12-01",
				"注释没有改动，其中第 1、",
				"配置检查通过",
			}, tt.weekend...) {
				if !strings.Contains(out, want) {
					t.Errorf("stdout lacks %q:\n%s", want, out)
				}
			}
			code, checkOut, errOut := runArgs(t, context.Background(), "config", "check", "-config", path)
			if code != 0 || checkOut != "配置检查通过\n" {
				t.Fatalf("config check: exit %d\n%s%s", code, checkOut, errOut)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			text := string(data)
			if !strings.Contains(text, tt.event) {
				t.Errorf("main event not at %q", tt.event)
			}
			for _, w := range tt.weekend {
				if !strings.Contains(text, "# 复核："+w) {
					t.Errorf("file lacks the mark %q", w)
				}
			}
			// 2023 survives only in comments.
			for i, line := range strings.Split(text, "\n") {
				if code, _, _ := strings.Cut(line, "#"); strings.Contains(code, "2023") {
					t.Errorf("line %d still has 2023: %q", i+1, line)
				}
			}
		})
	}
}

func TestCampaignCloneRefusals(t *testing.T) {
	ctx := context.Background()
	from := tempConfig(t)
	to, _ := cloneTo(t, from, 2024)
	before, _ := os.ReadFile(to)
	broken := filepath.Join(t.TempDir(), "broken.yaml")
	if err := os.WriteFile(broken, []byte("campaign: [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"existing file kept", []string{"campaign", "clone", "-from", from, "-to", to, "-year", "2025"}, 1, "-force"},
		{"onto itself", []string{"campaign", "clone", "-from", from, "-to", from, "-force", "-year", "2024"}, 2, "原配置文件本身"},
		{"same year", []string{"campaign", "clone", "-from", from, "-to", to + ".x", "-year", "2023"}, 1, "已经是 2023 年"},
		{"no year", []string{"campaign", "clone", "-from", from, "-to", to + ".x"}, 2, "-year"},
		{"bad year", []string{"campaign", "clone", "-from", from, "-to", to + ".x", "-year", "24"}, 2, "四位数"},
		{"no such file", []string{"campaign", "clone", "-from", from + ".nope", "-to", to + ".x", "-year", "2024"}, 1, "无法读取"},
		{"not a campaign", []string{"campaign", "clone", "-from", "go.mod", "-to", to + ".x", "-year", "2024"}, 1, "没有可用的 campaign"},
		{"broken yaml", []string{"campaign", "clone", "-from", broken, "-to", to + ".x", "-year", "2024"}, 1, "无法生成"},
		{"unknown subcommand", []string{"campaign", "copy"}, 2, "copy"},
		{"stray argument", []string{"campaign", "clone", "extra", "-from", from, "-to", to + ".x", "-year", "2024"}, 2, "多余的参数"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runArgs(t, ctx, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.err) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, tt.code, tt.err)
			}
		})
	}
	if after, _ := os.ReadFile(to); string(after) != string(before) {
		t.Error("an existing file was overwritten without -force")
	}
	if _, err := os.Stat(to + ".x"); err == nil {
		t.Error("a refused clone left a file")
	}
	if code, _, errOut := runArgs(t, ctx, "campaign", "clone", "-from", from, "-to", to, "-year", "2025", "-force"); code != 0 {
		t.Errorf("-force: exit %d: %s", code, errOut)
	}
	if after, _ := os.ReadFile(to); !strings.Contains(string(after), "id: 2025-119") {
		t.Error("-force did not replace the file")
	}
	if code, out, _ := runArgs(t, ctx, "help", "campaign"); code != 0 || !strings.Contains(out, "clone -from FILE -to FILE -year") {
		t.Errorf("help campaign: exit %d\n%s", code, out)
	}
}

// chatRun runs one firebot chat session on the store at db.
func chatRun(t *testing.T, cfgPath, db, now string, lines ...string) string {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "script")
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(strings.Join(lines, "\n"))
	f.Seek(0, 0)
	old := os.Stdin
	os.Stdin = f
	defer func() { os.Stdin = old; f.Close() }()
	code, out, errOut := runArgs(t, context.Background(), "chat", "-config", cfgPath, "-store", db, "-now", now)
	if code != 0 {
		t.Fatalf("chat: exit %d: %s", code, errOut)
	}
	return out
}

// summaryRow exports the workbook of cfgPath and returns the summary line
// of a unit and the sheet's title.
func summaryRow(t *testing.T, cfgPath, unit string) (row []string, title string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "report.xlsx")
	if code, _, errOut := runArgs(t, context.Background(), "export", "-config", cfgPath, "-o", out); code != 0 {
		t.Fatalf("export: exit %d: %s", code, errOut)
	}
	wb, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rows, err := wb.GetRows(workbook.SheetSummary)
	if err != nil || len(rows) == 0 {
		t.Fatalf("summary: %v", err)
	}
	for _, r := range rows {
		if len(r) > 1 && r[1] == unit {
			return r, strings.Join(rows[0], " ")
		}
	}
	t.Fatalf("summary has no line for %s", unit)
	return nil, ""
}

func must(t *testing.T, out string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("transcript lacks %q:\n%s", w, out)
		}
	}
}

func mustNot(t *testing.T, out string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(out, w) {
			t.Errorf("transcript has %q:\n%s", w, out)
		}
	}
}

// Next year in the same store: 2023's records stay readable under 2023's
// campaign id, 2024 starts empty, and the groups stay bound — those bound
// from the file and those bound in chat.
func TestCampaignCloneSameStore(t *testing.T) {
	cfg2023 := tempConfig(t)
	cfg2024, _ := cloneTo(t, cfg2023, 2024)
	db := filepath.Join(filepath.Dir(cfg2023), "firebot.db")
	say := []string{"上报", "2", "昨天", "80", "跳过", "跳过", "确认"}

	// 2023: a report, and a group bound in chat to a unit the file gives
	// no group.
	out := chatRun(t, cfg2023, db, "2023-11-06 10:00", append(say,
		"我的记录",
		":as zhujun", ":in chat_property", "绑定 示例物业服务公司", "免打扰", "进度")...)
	must(t, out, "上报成功，编号 HD-0001", "已把本群绑定到“示例物业服务公司”", "已为本群开启免打扰", "本群提醒：已暂停")

	// 2024: nothing recorded yet, both groups still bound.
	out = chatRun(t, cfg2024, db, "2024-11-06 10:00",
		"我的记录", "进度",
		":as gelin", ":in chat_property", "进度")
	must(t, out, "你还没有提交过记录", "【学田湾社区】已完成 0/5 项", "【示例物业服务公司】已完成 0/9 项")
	mustNot(t, out, "HD-0001", "还没有绑定")
	// Last year's 免打扰 belongs to last year: the group hears 2024's reminders.
	must(t, out, "本群提醒：正常")
	mustNot(t, out, "本群提醒：已暂停")
	row, title := summaryRow(t, cfg2024, "学田湾社区")
	if slices.Contains(row, workbook.StatusDone) || !strings.Contains(title, "2024") {
		t.Errorf("2024 workbook does not start empty: %q %q", title, row)
	}

	// A 2024 report takes the next id: ids are never reused across years.
	out = chatRun(t, cfg2024, db, "2024-11-06 10:00", append(say, "我的记录")...)
	must(t, out, "上报成功，编号 HD-0002")
	mustNot(t, out, "HD-0001 ")

	// 2023 is still there, alone.
	out = chatRun(t, cfg2023, db, "2023-11-20 10:00", "我的记录")
	must(t, out, "HD-0001")
	mustNot(t, out, "HD-0002", "你还没有提交过记录")
	row, title = summaryRow(t, cfg2023, "学田湾社区")
	if !slices.Contains(row, workbook.StatusDone) || !slices.Contains(row, "2023-11-05") || !strings.Contains(title, "2023") {
		t.Errorf("2023 workbook lost its record: %q %q", title, row)
	}
	row, _ = summaryRow(t, cfg2024, "学田湾社区")
	if !slices.Contains(row, "2024-11-05") || slices.Contains(row, "2023-11-05") {
		t.Errorf("2024 workbook: %q", row)
	}
}
