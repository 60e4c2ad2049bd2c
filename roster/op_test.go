package roster

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"strings"
	"testing"

	"firebot/clock"
	"firebot/config"
	"firebot/ops"
	"firebot/remote"
	"firebot/remote/remotetest"
)

// The sheet's bytes travel in the op's parameters, so a running service
// applies them to its own store; problems come back as the error text.
func TestImportOpRemote(t *testing.T) {
	ctx := context.Background()
	st := seeded(t)
	cfg := config.Default()
	cfg.Units = seedRoster
	env := &remote.Env{Env: ops.Env{Config: cfg, Store: st, Campaign: clock.NewFake(testNow), Real: clock.NewFake(testNow), Logger: slog.New(slog.DiscardHandler)}, Ops: []ops.Op{ImportOp}}
	client := remotetest.Serve(t, env, "")

	var out bytes.Buffer
	bad := ImportParams{FileName: "bad.csv", Data: csvOf(csvHeader, "x1,某单位,学堂,,,,,"), By: "cli:tester"}
	err := client.Run(ctx, OpImport, bad, &out)
	if err == nil || !strings.Contains(err.Error(), "第 2 行【类型】：未知的类型“学堂”") || out.Len() != 0 {
		t.Errorf("bad sheet: err %v, out %q", err, out.String())
	}
	if errors.Is(err, remote.ErrNoService) {
		t.Fatal("no service")
	}
	before := snap(t, st)
	err = client.Run(ctx, OpImport, ImportParams{FileName: "units.csv", Data: validCSV, DryRun: true, By: "cli:tester"}, &out)
	if err != nil || !strings.Contains(out.String(), "试运行") {
		t.Fatalf("dry run: %v\n%s", err, out.String())
	}
	if after := snap(t, st); len(after.Audit) != len(before.Audit) || len(after.Units) != len(before.Units) {
		t.Error("remote dry run wrote")
	}
	out.Reset()
	err = client.Run(ctx, OpImport, ImportParams{FileName: "units.csv", Data: validCSV, By: "cli:tester"}, &out)
	if err != nil || !strings.Contains(out.String(), "名册已导入：新增 3 个单位") {
		t.Fatalf("import: %v\n%s", err, out.String())
	}
	// The audit names the caller the socket's peer credentials show, not
	// the "cli:tester" the request claims.
	self := (&remote.Cred{PID: os.Getpid(), UID: os.Getuid(), GID: os.Getgid()}).String()
	checkAppliedBy(t, st, &Result{Added: make([]Change, 3), Updated: make([]Change, 1), Unchanged: 1, Rows: 5}, self)
}

// Malformed sheets give errors, never panics.
func FuzzParse(f *testing.F) {
	f.Add("u.csv", validCSV)
	f.Add("u.csv", TemplateCSV())
	f.Add("u.csv", []byte("单位名称,类型\n\"a,\"\"b\n"))
	f.Add("u.xlsx", []byte("PK\x03\x04"))
	if x, err := TemplateXLSX(); err == nil {
		f.Add("u.xlsx", x)
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		entries, err := Parse(name, data)
		if err == nil && len(entries) == 0 {
			t.Error("no error and no entries")
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("error %v is not ErrInvalid", err)
		}
	})
}

// A malformed line (an unclosed quote, a wrong number of fields) is an
// error naming the line, through the running service's admin socket, and
// nothing is written: not the rows before it, not the valid rows after it.
func TestImportMalformedCSVRemote(t *testing.T) {
	ctx := context.Background()
	st := seeded(t)
	cfg := config.Default()
	cfg.Units = seedRoster
	env := &remote.Env{Env: ops.Env{Config: cfg, Store: st, Campaign: clock.NewFake(testNow), Real: clock.NewFake(testNow), Logger: slog.New(slog.DiscardHandler)}, Ops: []ops.Op{ImportOp}}
	client := remotetest.Serve(t, env, "")
	before := snap(t, st)
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"unclosed quote", csvOf(csvHeader,
			`x1,"示例新单位,社区,北片板块,,wangwu,,`,
			"x2,示例新单位二,社区,北片板块,,wangwu,,",
			"x3,示例新单位三,社区,北片板块,,wangwu,,",
		), "第 2 行：引号没有成对"},
		{"field count", csvOf(csvHeader,
			"x1,示例新单位,社区,北片板块,,wangwu,,",
			"x2,示例新单位二,社区,北片板块,学校,含逗号,的名字,wangwu,,",
			"x3,示例新单位三,社区,北片板块,,wangwu,,",
		), "第 3 行：这一行有 10 列，表头有 8 列"},
		{"short line", csvOf(csvHeader,
			"x1,示例新单位,社区,北片板块,,wangwu",
		), "第 2 行：这一行有 6 列，表头有 8 列"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			for _, dry := range []bool{true, false} {
				err := client.Run(ctx, OpImport, ImportParams{FileName: "bad.csv", Data: tc.data, DryRun: dry, By: "cli:tester"}, &out)
				if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "未导入任何数据") || out.Len() != 0 {
					t.Errorf("dry run %v: err %v, out %q", dry, err, out.String())
				}
			}
			after := snap(t, st)
			if len(after.Units) != len(before.Units) || len(after.Audit) != len(before.Audit) {
				t.Errorf("written: %d units, %d audit entries (before %d, %d)", len(after.Units), len(after.Audit), len(before.Units), len(before.Audit))
			}
		})
	}
}
