package export_test

import (
	"bytes"
	"context"
	stdpng "image/png"
	"os"
	"strings"
	"testing"

	"firebot/bot"
	"firebot/office"
	"firebot/office/export"
	"firebot/office/officetest"
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
