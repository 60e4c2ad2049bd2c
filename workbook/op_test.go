package workbook

import (
	"bytes"
	"context"
	"image/png"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"firebot/archive"
	"firebot/clock"
	"firebot/ops"
	"firebot/remote"
	"firebot/remote/remotetest"
	"firebot/store"
)

func TestAdminOps(t *testing.T) {
	f := newFixture(t)
	campaignClock := clock.NewFake(exportNow)
	env := &remote.Env{Env: ops.Env{Config: f.cfg, Store: f.st, Campaign: campaignClock, Real: clock.NewFake(exportNow),
		Logger: slog.New(slog.DiscardHandler)}, Ops: Ops()} // the admin server logs failures through Logger
	client := remotetest.Serve(t, env, "")
	ctx := context.Background()

	type run func(op string, params any) ([]byte, error)
	for name, do := range map[string]run{
		"local": func(op string, params any) ([]byte, error) {
			var out bytes.Buffer
			err := remote.Local(ctx, env, op, params, &out, func(int, int) {})
			return out.Bytes(), err
		},
		"remote": func(op string, params any) ([]byte, error) {
			var out bytes.Buffer
			err := client.Run(ctx, op, params, &out)
			return out.Bytes(), err
		},
	} {
		t.Run(name, func(t *testing.T) {
			campaignClock.Set(exportNow.Add(time.Hour))
			b, err := do(OpExport, struct{}{})
			if err != nil {
				t.Fatal(err)
			}
			var exported time.Time
			f.st.View(ctx, func(tx store.Tx) error {
				exported, err = archive.ExportedAt(tx, f.cfg.Campaign.ID)
				return err
			})
			if !exported.Equal(exportNow.Add(time.Hour)) {
				t.Errorf("export recorded at %v (%v), want the campaign clock's %v", exported, err, exportNow.Add(time.Hour))
			}
			wb, err := excelize.OpenReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			defer wb.Close()
			if v, _ := wb.GetCellValue(SheetSummary, "A1"); !strings.Contains(v, "2023-12-01 10:00") {
				t.Errorf("title %q: the export time is the campaign clock's", v)
			}

			if _, err := do(OpExport, map[string]string{"since": "x"}); err == nil || !strings.Contains(err.Error(), "不认识的参数") {
				t.Errorf("unknown parameter: err %v", err)
			}
			if name == "remote" {
				return // the same ops as local: the route is what is tested
			}
			b, err = do(OpExportPhotos, nil)
			if err != nil {
				t.Fatal(err)
			}
			files := unzip(t, b)
			if _, ok := files["示例实验小学/"+f.school+"-1.jpg"]; !ok || len(files) != 5 {
				t.Errorf("photos zip holds %d files", len(files))
			}

			b, err = do(OpExportChart, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := png.Decode(bytes.NewReader(b)); err != nil {
				t.Errorf("chart: %v", err)
			}
		})
	}
}
