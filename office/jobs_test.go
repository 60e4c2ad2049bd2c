package office_test

import (
	"bytes"
	"context"
	stdpng "image/png"
	"os"
	"strings"
	"testing"
	"time"

	"firebot/bot"
	"firebot/office"
	"firebot/store"
)

func TestExportUploadsToOfficeChat(t *testing.T) {
	h := newHarness(t, "2023-12-01 09:00", office.Deps{Exporter: fakeExporter{big: true}, Charter: fakeCharter{}})
	m := &bot.Message{ChatID: "single_" + officeUser, ChatType: bot.ChatSingle, SenderID: officeUser, SenderName: "朱君", Text: "导出", MsgID: "x1"}
	contains(t, h.send(m), "正在生成")
	// WeCom retries the callback (a second delivery of the same message
	// after a lost answer): the same job.
	m2 := *m
	contains(t, h.send(&m2), "正在生成")
	if ps := h.pushes(); len(ps) != 0 {
		t.Fatalf("pushed before the work: %+v", ps)
	}
	h.tick()
	h.tick() // a second tick (or replica) finds the job done
	files := 0
	var head string
	for _, p := range h.pushesTo(officeChat) {
		switch {
		case p.msg.WebhookFile != nil:
			files++
			if p.msg.WebhookFile.Name != "消防宣传月汇总.xlsx" {
				t.Errorf("file %+v", p.msg.WebhookFile)
			}
		case p.text != "":
			head = p.text
		}
	}
	if files != 1 {
		t.Fatalf("%d files uploaded", files)
	}
	contains(t, head, "【导出】", "朱君发起", "消防宣传月汇总.xlsx", "照片.zip", "超过企业微信群文件20MB", "照片共 130.0 MB", "firebot export")
	dm := h.pushesTo(officeUser)
	if len(dm) != 1 {
		t.Fatalf("requester told: %+v", dm)
	}
	contains(t, dm[0].text, "汇总表已生成")
	if n := len(h.pushes()); n != 3 {
		t.Errorf("%d pushes", n)
	}
}

func TestChartPushedAsImage(t *testing.T) {
	h := newHarness(t, "2023-11-20 09:00", office.Deps{Charter: fakeCharter{}})
	contains(t, h.group(officeChat, officeUser, "图表"), "正在生成进度图表")
	h.tick()
	var images int
	for _, p := range h.pushesTo(officeChat) {
		if p.msg.WebhookImage != nil {
			images++
			if !strings.HasSuffix(p.msg.WebhookImage.Path, ".png") {
				t.Errorf("image %+v", p.msg.WebhookImage)
			}
		}
	}
	if images != 1 {
		t.Fatalf("%d images: %+v", images, h.pushes())
	}
}

// The default exporter: workbook.Build's workbook, uploaded to the office chat.
func TestReportExporter(t *testing.T) {
	h := newHarness(t, "2023-12-01 09:00", office.Deps{})
	h.putConfirmation("comm_xuetianwan", "theme_publicity", "zhangsan")
	contains(t, h.single(officeUser, "导出"), "正在生成")
	h.tick()
	var files []string
	for _, p := range h.pushesTo(officeChat) {
		if f := p.msg.WebhookFile; f != nil {
			files = append(files, f.Name)
			if fi, err := os.Stat(f.Path); err != nil || fi.Size() == 0 {
				t.Errorf("%s: %v", f.Path, err)
			}
		}
	}
	if len(files) != 1 || !strings.HasSuffix(files[0], "汇总表-20231201.xlsx") {
		t.Fatalf("files %v: %+v", files, h.pushes())
	}
}

// The delivery report waits for every push to be final, then goes to the
// office chat the broadcast was issued in, once.
func TestDeliveryReportWhenFinal(t *testing.T) {
	h := newHarness(t, "2023-11-02 09:00", office.Deps{})
	h.group(officeChat, officeUser, "广播 学校 回执 演练方案周五前报送")
	h.group(officeChat, officeUser, "确认")
	h.tick()
	if r := h.pushesTo(officeChat); len(r) != 0 {
		t.Fatalf("reported while pending: %+v", r)
	}
	// The outbox worker's outcomes: school_a sent, school_b failed for good.
	h.update(func(tx store.Tx) error {
		es, err := store.ClaimOutbox(tx, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), 10, time.Minute, "w")
		if err != nil {
			return err
		}
		for _, e := range es {
			res := store.DeliveryResult{Sent: true}
			if e.Target == "chat_org_school_b" {
				res = store.DeliveryResult{ErrCode: 93000, Reason: "机器人已被移出群聊或 webhook 地址已失效"}
			}
			if _, err := store.AckOutbox(tx, e.ID, "w", time.Now(), res); err != nil {
				return err
			}
		}
		return nil
	})
	h.tick()
	h.tick()
	r := h.pushesTo(officeChat)
	if len(r) != 1 {
		t.Fatalf("reports: %+v", r)
	}
	contains(t, r[0].text, "【广播送达情况】GB-0001", "发送到2个群：成功1个，失败1个。", "示例第二中学（群 chat_org_school_b）：机器人已被移出群聊", "回执 GB-0001")
	if len(r[0].mentions) != 1 || r[0].mentions[0] != officeUser {
		t.Errorf("issuer not mentioned: %v", r[0].mentions)
	}
	got := h.group(officeChat, officeUser, "回执 GB-0001")
	contains(t, got, "示例第二中学（发送失败：机器人已被移出群聊")
}

// The default chart is workbook.Chart's, drawn from every unit's progress.
func TestReportCharterDrawsPNG(t *testing.T) {
	h := newHarness(t, "2023-11-20 09:00", office.Deps{})
	h.putConfirmation("comm_xuetianwan", "theme_publicity", "zhangsan")
	png, err := office.ReportCharter{}.Chart(context.Background(), h.st, h.cfg, h.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := stdpng.Decode(bytes.NewReader(png)); err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
}
