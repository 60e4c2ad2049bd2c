package workbook

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/xuri/excelize/v2"

	"firebot/campaign"
	"firebot/chart"
	"firebot/config"
	"firebot/ledger"
	"firebot/store"
)

// overview fills the 进度图表 sheet: the numbers by sector and by category
// and the same chart the 图表 command pushes to the office chats.
func (e *exporter) overview() error {
	f, st, name := e.f, e.st, SheetOverview
	set := func(ref string, v any, style int) error {
		if err := f.SetCellValue(name, ref, v); err != nil {
			return err
		}
		return f.SetCellStyle(name, ref, ref, style)
	}
	if err := pageSetup(f, name, landscape, 0); err != nil {
		return err
	}
	for col, w := range map[string]float64{"A": 16, "B": 9, "C": 9, "D": 9} {
		if err := f.SetColWidth(name, col, col, w); err != nil {
			return err
		}
	}
	if err := set("A1", e.c.Name+"完成进度", st.title); err != nil {
		return err
	}
	if err := set("A2", e.stamp(), st.note); err != nil {
		return err
	}
	row := 4
	table := func(title string, bars []chart.Bar) error {
		for i, h := range []string{title, "已完成", "应完成", "完成率"} {
			ref, _ := excelize.CoordinatesToCellName(i+1, row)
			if err := set(ref, h, st.header); err != nil {
				return err
			}
		}
		row++
		for _, b := range bars {
			style, pct := st.text, st.percent
			if b.Label == chart.LabelTotal {
				style, pct = st.total, st.totalPct
			}
			for i, v := range []any{b.Label, b.Done, b.Total, ratio(b.Done, b.Total)} {
				ref, _ := excelize.CoordinatesToCellName(i+1, row)
				s := style
				if i == 3 {
					s = pct
				}
				if err := set(ref, v, s); err != nil {
					return err
				}
			}
			row++
		}
		row++
		return nil
	}
	if err := table("板块", append(e.tally.Sectors(), e.tally.Total())); err != nil {
		return err
	}
	if err := table("类别", e.tally.Categories()); err != nil {
		return err
	}
	png, err := chart.Progress(e.chartData())
	switch {
	case errors.Is(err, chart.ErrNoData):
		return set("F4", "暂无可统计的任务。", st.note)
	case err != nil:
		e.opts.logger().Warn("chart not drawn", "err", err)
		return set("F4", "进度图绘制失败。", st.note)
	}
	return f.AddPictureFromBytes(name, "F4", &excelize.Picture{
		Extension: ".png", File: png,
		Format: &excelize.GraphicOptions{AltText: e.c.Name + "完成进度图", ScaleX: 0.75, ScaleY: 0.75},
	})
}

// chartData is the tally as a chart.
func (e *exporter) chartData() chart.Data {
	sub := fmt.Sprintf("截至 %s", e.opts.Now.In(e.loc).Format("2006-01-02 15:04"))
	if e.opts.Now.IsZero() {
		sub = ""
	}
	return e.tally.Data(e.c.Name+" 完成进度", sub)
}

// Chart draws the progress chart of cfg's campaign as it stands in the
// store at now (campaign clock): the PNG the 图表 command pushes to the
// office chats (at most chart.MaxPNGBytes) and the workbook shows.
func Chart(ctx context.Context, st store.Store, cfg *config.Config, now time.Time) ([]byte, error) {
	var data chart.Data
	err := st.View(ctx, func(tx store.Tx) error {
		roster, err := rosterOf(tx, cfg)
		if err != nil {
			return err
		}
		t := chart.NewTally(roster)
		err = eachProgress(ctx, tx, &cfg.Campaign, roster, func(_ int, u campaign.Unit, p ledger.UnitProgress) error {
			if included(p) {
				done, n := p.DoneCount()
				t.Add(u, done, n)
				if p.NominationExpected {
					t.AddNominations(u, len(p.Nominations))
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		e := exporter{c: &cfg.Campaign, loc: cfg.Location, tally: t, opts: Options{Now: now}}
		if e.loc == nil {
			e.loc = time.Local
		}
		data = e.chartData()
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: chart: %w", ErrExport, err)
	}
	return chart.Progress(data)
}
