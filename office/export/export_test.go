package export_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	stdpng "image/png"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"firebot/bot"
	"firebot/config"
	"firebot/office"
	"firebot/office/export"
	"firebot/office/officetest"
	"firebot/store"
)

func newHarness(t testing.TB, now string, deps office.Options) *officetest.Harness {
	t.Helper()
	return officetest.New(t, now, deps, officetest.Feature{Commands: export.Commands})
}
func TestExportUploadsToOfficeChat(t *testing.T) {
	h := newHarness(t, "2023-12-01 09:00", office.Options{Exporter: officetest.FakeExporter{Big: true}, Charter: officetest.FakeCharter{}})
	m := &bot.Message{ChatID: "single_" + officetest.OfficeUser, ChatType: bot.ChatSingle, SenderID: officetest.OfficeUser, SenderName: "朱君", Text: "导出", MsgID: "x1"}
	officetest.Contains(t, h.Send(m), "正在生成")
	// WeCom retries the callback (a second delivery of the same message
	// after a lost answer): the same job.
	m2 := *m
	officetest.Contains(t, h.Send(&m2), "正在生成")
	if ps := h.Pushes(); len(ps) != 0 {
		t.Fatalf("pushed before the work: %+v", ps)
	}
	h.Tick()
	h.Tick() // a second tick (or replica) finds the job done
	files := 0
	var head string
	for _, p := range h.PushesTo(officetest.OfficeChat) {
		switch {
		case p.Msg.WebhookFile != nil:
			files++
			if p.Msg.WebhookFile.Name != "消防宣传月汇总.xlsx" {
				t.Errorf("file %+v", p.Msg.WebhookFile)
			}
		case p.Text != "":
			head = p.Text
		}
	}
	if files != 1 {
		t.Fatalf("%d files uploaded", files)
	}
	officetest.Contains(t, head, "【导出】", "朱君发起", "消防宣传月汇总.xlsx", "照片.zip", "超过企业微信群文件20MB", "照片共 130.0 MB", "firebot export")
	dm := h.PushesTo(officetest.OfficeUser)
	if len(dm) != 1 {
		t.Fatalf("requester told: %+v", dm)
	}
	officetest.Contains(t, dm[0].Text, "汇总表已生成")
	if n := len(h.Pushes()); n != 3 {
		t.Errorf("%d pushes", n)
	}
}

func TestChartPushedAsImage(t *testing.T) {
	h := newHarness(t, "2023-11-20 09:00", office.Options{Charter: officetest.FakeCharter{}})
	officetest.Contains(t, h.Group(officetest.OfficeChat, officetest.OfficeUser, "图表"), "正在生成进度图表")
	h.Tick()
	var images int
	for _, p := range h.PushesTo(officetest.OfficeChat) {
		if p.Msg.WebhookImage != nil {
			images++
			if !strings.HasSuffix(p.Msg.WebhookImage.Path, ".png") {
				t.Errorf("image %+v", p.Msg.WebhookImage)
			}
		}
	}
	if images != 1 {
		t.Fatalf("%d images: %+v", images, h.Pushes())
	}
}

// The default exporter: workbook.Build's workbook, uploaded to the office chat.
func TestReportExporter(t *testing.T) {
	h := newHarness(t, "2023-12-01 09:00", office.Options{})
	h.PutConfirmation("comm_xuetianwan", "theme_publicity", "zhangsan")
	officetest.Contains(t, h.Single(officetest.OfficeUser, "导出"), "正在生成")
	h.Tick()
	var files []string
	for _, p := range h.PushesTo(officetest.OfficeChat) {
		if f := p.Msg.WebhookFile; f != nil {
			files = append(files, f.Name)
			if fi, err := os.Stat(f.Path); err != nil || fi.Size() == 0 {
				t.Errorf("%s: %v", f.Path, err)
			}
		}
	}
	if len(files) != 1 || !strings.HasSuffix(files[0], "汇总表-20231201.xlsx") {
		t.Fatalf("files %v: %+v", files, h.Pushes())
	}
}

// The default chart is workbook.Chart's, drawn from every unit's progress.
func TestReportCharterDrawsPNG(t *testing.T) {
	h := newHarness(t, "2023-11-20 09:00", office.Options{})
	h.PutConfirmation("comm_xuetianwan", "theme_publicity", "zhangsan")
	png, err := office.ReportCharter{}.Chart(context.Background(), h.St, h.Cfg, h.Clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := stdpng.Decode(bytes.NewReader(png)); err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
}

// flaky is an Exporter and a Charter whose first fail calls fail; later
// calls do what officetest's fakes do.
type flaky struct {
	fail  int
	calls atomic.Int32
}

var errFlaky = errors.New("disk full")

func (f *flaky) failing() bool { return int(f.calls.Add(1)) <= f.fail }

// Export implements office.Exporter.
func (f *flaky) Export(ctx context.Context, st store.Store, cfg *config.Config, dir string, now time.Time) (office.Export, error) {
	if f.failing() {
		return office.Export{}, errFlaky
	}
	return officetest.FakeExporter{}.Export(ctx, st, cfg, dir, now)
}

// Chart implements office.Charter.
func (f *flaky) Chart(ctx context.Context, st store.Store, cfg *config.Config, now time.Time) ([]byte, error) {
	if f.failing() {
		return nil, errFlaky
	}
	return officetest.FakeCharter{}.Chart(ctx, st, cfg, now)
}

// storedJob is what the test reads of the one job office keeps in its
// office_job bucket.
type storedJob struct {
	Status   string `json:"status"`
	Attempts int    `json:"attempts"`
	Error    string `json:"error"`
}

func onlyJob(h *officetest.Harness) storedJob {
	h.T.Helper()
	var jobs []storedJob
	h.View(func(tx store.Tx) error {
		return tx.Scan("office_job", "", "", func(_ string, v []byte) error {
			var j storedJob
			if err := json.Unmarshal(v, &j); err != nil {
				return err
			}
			jobs = append(jobs, j)
			return nil
		})
	})
	if len(jobs) != 1 {
		h.T.Fatalf("%d jobs stored: %+v", len(jobs), jobs)
	}
	return jobs[0]
}

// uploads counts the files and images pushed anywhere.
func uploads(h *officetest.Harness) int {
	n := 0
	for _, p := range h.Pushes() {
		if p.Msg.WebhookFile != nil || p.Msg.WebhookImage != nil {
			n++
		}
	}
	return n
}

// office's jobAttempts: a job whose work fails this many times is given up.
const jobAttempts = 3

// A job whose work keeps failing is retried on each Tick while attempts
// remain (the store's clock stands still, so a retry means the failed
// attempt gave its lease back), then marked failed, and the office chat
// it was asked in is told once, with what to do; nothing is uploaded, and
// a later Tick runs nothing.
func TestJobFailsAfterLastAttempt(t *testing.T) {
	for _, tc := range []struct {
		cmd   string
		wants []string
	}{
		{"导出", []string{"汇总表生成失败", "请稍后再发送“导出”重试", "firebot export"}},
		{"图表", []string{"进度图表生成失败", "请稍后再发送“图表”重试"}},
	} {
		t.Run(tc.cmd, func(t *testing.T) {
			work := &flaky{fail: 1 << 30}
			h := newHarness(t, "2023-12-01 09:00", office.Options{Exporter: work, Charter: work})
			msg := &bot.Message{ChatID: officetest.OfficeChat, ChatType: bot.ChatGroup, SenderID: officetest.OfficeUser, SenderName: officetest.OfficeUser, Text: tc.cmd}
			officetest.Contains(t, h.Send(msg), "正在生成")
			for i := 1; i <= jobAttempts; i++ {
				h.Tick()
				if n := int(work.calls.Load()); n != i {
					t.Fatalf("after tick %d the work ran %d times", i, n)
				}
				j := onlyJob(h)
				if j.Attempts != i || j.Error != errFlaky.Error() {
					t.Fatalf("after tick %d: %+v", i, j)
				}
				if i < jobAttempts {
					if j.Status != "pending" {
						t.Fatalf("after tick %d: %+v", i, j)
					}
					if ps := h.Pushes(); len(ps) != 0 {
						t.Fatalf("after tick %d, with attempts left, pushed %+v", i, ps)
					}
				}
			}
			if j := onlyJob(h); j.Status != "failed" {
				t.Fatalf("after the last attempt: %+v", j)
			}
			ps := h.Pushes()
			if len(ps) != 1 || ps[0].Target != officetest.OfficeChat {
				t.Fatalf("pushes after the last attempt: %+v", ps)
			}
			officetest.Contains(t, ps[0].Text, tc.wants...)
			if len(ps[0].Mentions) != 1 || ps[0].Mentions[0] != officetest.OfficeUser {
				t.Errorf("failure mentions %v", ps[0].Mentions)
			}
			if n := uploads(h); n != 0 {
				t.Errorf("%d uploads", n)
			}

			h.Tick()
			if n := int(work.calls.Load()); n != jobAttempts {
				t.Errorf("a tick after the job failed ran the work again (%d runs)", n)
			}
			if n := len(h.Pushes()); n != 1 {
				t.Errorf("a tick after the job failed pushed: %+v", h.Pushes())
			}
			if j := onlyJob(h); j.Status != "failed" || j.Attempts != jobAttempts {
				t.Errorf("a tick after the job failed: %+v", j)
			}

			// The same message handled again (its callback resent after
			// the endpoint forgot it) finds its job: nothing runs again.
			officetest.Contains(t, h.Send(msg), "正在生成")
			h.Tick()
			if n := int(work.calls.Load()); n != jobAttempts {
				t.Errorf("the message handled again ran the work again (%d runs)", n)
			}
			if j := onlyJob(h); j.Status != "failed" || j.Attempts != jobAttempts {
				t.Errorf("the message handled again: %+v", j)
			}
		})
	}
}

// An export that fails once is retried on the next Tick and uploaded once,
// with no failure message.
func TestExportRetriedAfterOneFailure(t *testing.T) {
	work := &flaky{fail: 1}
	h := newHarness(t, "2023-12-01 09:00", office.Options{Exporter: work})
	officetest.Contains(t, h.Group(officetest.OfficeChat, officetest.OfficeUser, "导出"), "正在生成")
	h.Tick()
	if j := onlyJob(h); j.Status != "pending" || j.Attempts != 1 {
		t.Fatalf("after the failed attempt: %+v", j)
	}
	if ps := h.Pushes(); len(ps) != 0 {
		t.Fatalf("pushed after the failed attempt: %+v", ps)
	}
	h.Tick()
	h.Tick() // finds the job done
	if n := int(work.calls.Load()); n != 2 {
		t.Fatalf("the exporter ran %d times", n)
	}
	if j := onlyJob(h); j.Status != "done" {
		t.Fatalf("after the retry: %+v", j)
	}
	if n := uploads(h); n != 1 {
		t.Fatalf("%d uploads: %+v", n, h.Pushes())
	}
	ps := h.PushesTo(officetest.OfficeChat)
	if len(ps) != 2 {
		t.Fatalf("office chat pushes: %+v", ps)
	}
	for _, p := range ps {
		officetest.Lacks(t, p.Text, "失败")
	}
	officetest.Contains(t, ps[0].Text+ps[1].Text, "【导出】", "消防宣传月汇总.xlsx")
	if n := len(h.Pushes()); n != 2 {
		t.Errorf("pushes: %+v", h.Pushes())
	}
}
