package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// MaxPNGBytes is WeCom's limit for an image pushed by a group robot
// (base64 + md5), with a little room to spare.
const MaxPNGBytes = 2_000_000

// Errors.
var (
	// ErrNoData: there is nothing to draw (no unit has an applicable task).
	ErrNoData = errors.New("chart: no data")
	// ErrTooLarge: even the smallest rendering exceeds MaxPNGBytes.
	ErrTooLarge = errors.New("chart: image too large")
)

// Bar is one bar: Done of Total applicable tasks.
type Bar struct {
	Label string
	Done  int
	Total int
}

// Share is Done/Total, 0 when Total is 0.
func (b Bar) Share() float64 {
	if b.Total <= 0 {
		return 0
	}
	return float64(b.Done) / float64(b.Total)
}

// Percent is done/total in whole percent, rounded half up (1/8 → 13),
// 0 when total is 0. Every percentage firebot shows (统计, the chart, the
// workbook) is this one, so they never disagree.
func Percent(done, total int) int {
	if total <= 0 {
		return 0
	}
	return (done*200 + total) / (2 * total)
}

// Percent is the bar's share in whole percent, rounded half up.
func (b Bar) Percent() int { return Percent(b.Done, b.Total) }

// Text is the bar's label: its percentage and counts, e.g. "85%（17/20）".
func (b Bar) Text() string {
	return fmt.Sprintf("%d%%（%d/%d）", b.Percent(), b.Done, b.Total)
}

// NominationBar is one kind of unit's volunteer nominations: Units of the
// Asked units of that kind have nominated, People nominees in all.
type NominationBar struct {
	Label        string // 社区, 社会单位…
	Units, Asked int
	People       int
}

func (n NominationBar) bar() Bar {
	return Bar{Label: n.Label, Done: n.Units, Total: n.Asked}
}

func (n NominationBar) text() string {
	return fmt.Sprintf("%d%%（%d/%d个单位，%d人）", Percent(n.Units, n.Asked), n.Units, n.Asked, n.People)
}

// Data is what one chart shows.
type Data struct {
	Title      string // top line, e.g. the campaign's name and 完成进度
	Subtitle   string // e.g. 截至 2023-11-20 09:00
	Sectors    []Bar  // drawn top to bottom in this order
	Categories []Bar
	// Nominations are drawn beside the tasks: per kind of unit, the share
	// of units asked that have nominated.
	Nominations []NominationBar
}

// Layout, in points at 96 dpi (1 pt = 4/3 px).
const (
	dpi        = 96
	widthPt    = 720 // 960 px
	barPitchPt = 26  // height per bar
	panelPadPt = 70  // title, x axis and margins of a panel
	headerPt   = 60  // the chart's title and subtitle
)

var (
	colourBar  = color.RGBA{R: 0xd9, G: 0x3a, B: 0x2b, A: 0xff} // fire red
	colourText = color.RGBA{R: 0x22, G: 0x22, B: 0x22, A: 0xff}
	colourGrid = color.RGBA{R: 0xdd, G: 0xdd, B: 0xdd, A: 0xff}
)

// Progress draws d as a PNG: a title, then one panel of horizontal bars for
// the sectors and one for the categories (a panel without bars is left out).
// The image is at most MaxPNGBytes.
func Progress(d Data) ([]byte, error) {
	if len(d.Sectors) == 0 && len(d.Categories) == 0 && len(d.Nominations) == 0 {
		return nil, ErrNoData
	}
	fs, err := loadFaces()
	if err != nil {
		return nil, err
	}
	h := mixedText{fs: fs}
	for _, scale := range []float64{1, 0.75, 0.5} {
		png, err := render(h, d, scale)
		if err != nil {
			return nil, err
		}
		if len(png) <= MaxPNGBytes {
			return png, nil
		}
	}
	return nil, ErrTooLarge
}

// render draws the chart at scale (1 = 96 dpi).
func render(h text.Handler, d Data, scale float64) (out []byte, err error) {
	defer func() {
		// gonum panics on some font errors; a chart is never worth a crash.
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("chart: draw: %v", r)
		}
	}()
	type panel struct {
		title, axis string
		bars        []Bar
		labels      []string
	}
	texts := func(bars []Bar) []string {
		out := make([]string, len(bars))
		for i, b := range bars {
			out[i] = b.Text()
		}
		return out
	}
	var panels []panel
	if len(d.Sectors) > 0 {
		panels = append(panels, panel{"按板块", axisTasks, d.Sectors, texts(d.Sectors)})
	}
	if len(d.Categories) > 0 {
		panels = append(panels, panel{"按类别", axisTasks, d.Categories, texts(d.Categories)})
	}
	if len(d.Nominations) > 0 {
		p := panel{title: "志愿者推荐（按单位类型）", axis: "已推荐的单位占应推荐单位的比例"}
		for _, n := range d.Nominations {
			p.bars = append(p.bars, n.bar())
			p.labels = append(p.labels, n.text())
		}
		panels = append(panels, p)
	}
	heights := make([]vg.Length, len(panels))
	total := vg.Length(headerPt)
	for i, p := range panels {
		heights[i] = vg.Length(panelPadPt + barPitchPt*len(p.bars))
		total += heights[i]
	}
	img := vgimg.NewWith(vgimg.UseWH(widthPt, total), vgimg.UseDPI(int(dpi*scale)))
	dc := draw.New(img)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())

	titleStyle := style(h, 16)
	titleStyle.XAlign, titleStyle.YAlign = text.XCenter, text.YTop
	dc.FillText(titleStyle, vg.Point{X: widthPt / 2, Y: total - 10}, d.Title)
	if d.Subtitle != "" {
		sub := style(h, 11)
		sub.XAlign, sub.YAlign = text.XCenter, text.YTop
		dc.FillText(sub, vg.Point{X: widthPt / 2, Y: total - 36}, d.Subtitle)
	}

	top := total - headerPt
	for i, p := range panels {
		pl, err := barPlot(h, p.title, p.axis, p.bars, p.labels)
		if err != nil {
			return nil, err
		}
		sub := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: 0, Y: top - heights[i]},
			Max: vg.Point{X: widthPt, Y: top},
		}}
		pl.Draw(draw.Crop(sub, 10, -20, 5, -5))
		top -= heights[i]
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart: encode png: %w", err)
	}
	return buf.Bytes(), nil
}

// style is a text style of size pt in the mixed handler.
func style(h text.Handler, pt vg.Length) text.Style {
	return text.Style{Color: colourText, Font: font.Font{Size: pt}, Handler: h}
}

// axisTasks is the x axis title of the task panels.
const axisTasks = "已完成任务占应完成任务的比例"

// insideFrom is the share from which a bar's label is written inside the
// bar (white, ending at the bar's end) rather than after it, so the axis
// can end at 100%.
const insideFrom = 0.6

// barPlot is one panel: bars from the top in the order given, x from 0 to
// 100 % (the axis ends there), each bar labelled at its end: after it,
// or inside it for a long bar.
func barPlot(h text.Handler, title, axis string, bars []Bar, texts []string) (*plot.Plot, error) {
	p := plot.New()
	for _, ts := range []*text.Style{&p.Title.TextStyle, &p.X.Label.TextStyle, &p.X.Tick.Label,
		&p.Y.Label.TextStyle, &p.Y.Tick.Label, &p.Legend.TextStyle} {
		ts.Handler = h
		ts.Color = colourText
	}
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = 13
	p.Title.Padding = 6
	p.X.Tick.Label.Font.Size = 10
	p.Y.Tick.Label.Font.Size = 11
	p.X.Label.Text = axis
	p.X.Label.TextStyle.Font.Size = 10
	p.X.Min, p.X.Max = 0, 100
	p.X.Tick.Marker = plot.ConstantTicks{
		{Value: 0, Label: "0%"}, {Value: 20, Label: "20%"}, {Value: 40, Label: "40%"},
		{Value: 60, Label: "60%"}, {Value: 80, Label: "80%"}, {Value: 100, Label: "100%"},
	}
	grid := plotter.NewGrid()
	grid.Horizontal.Color = color.Transparent
	grid.Vertical.Color = colourGrid
	p.Add(grid)

	n := len(bars)
	values := make(plotter.Values, n)
	names := make([]string, n)
	var outside, inside plotter.XYLabels
	for i, b := range bars {
		j := n - 1 - i // NominalY counts from the bottom
		values[j] = b.Share() * 100
		names[j] = b.Label
		xy := plotter.XY{X: values[j], Y: float64(j)}
		if b.Share() >= insideFrom {
			inside.XYs, inside.Labels = append(inside.XYs, xy), append(inside.Labels, texts[i])
		} else {
			outside.XYs, outside.Labels = append(outside.XYs, xy), append(outside.Labels, texts[i])
		}
	}
	bc, err := plotter.NewBarChart(values, vg.Length(barPitchPt*0.62))
	if err != nil {
		return nil, fmt.Errorf("chart: bars: %w", err)
	}
	bc.Horizontal = true
	bc.Color = colourBar
	bc.LineStyle.Width = 0
	p.Add(bc)
	p.NominalY(names...)

	for _, set := range []struct {
		xy     plotter.XYLabels
		inside bool
	}{{outside, false}, {inside, true}} {
		if len(set.xy.XYs) == 0 {
			continue
		}
		lb, err := plotter.NewLabels(set.xy)
		if err != nil {
			return nil, fmt.Errorf("chart: labels: %w", err)
		}
		for i := range lb.TextStyle {
			lb.TextStyle[i] = style(h, 10)
			lb.TextStyle[i].YAlign = text.YCenter
			if set.inside {
				lb.TextStyle[i].Color = color.White
				lb.TextStyle[i].XAlign = text.XRight
			}
		}
		lb.Offset = vg.Point{X: 4}
		if set.inside {
			lb.Offset = vg.Point{X: -4}
		}
		p.Add(lb)
	}
	return p, nil
}
