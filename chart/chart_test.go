package chart

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"firebot/campaign"
)

// tofu is a rune neither embedded font has: it is drawn as the font's
// "missing glyph", which is what Chinese text looks like without a CJK font.
const tofu = '\U0010FFFD'

func sample() Data {
	return Data{
		Title:    "上清寺街道2023年“119”消防宣传月 完成进度",
		Subtitle: "截至 2023-11-20 09:00",
		Sectors:  []Bar{{"北片板块", 30, 41}, {"中片板块", 12, 40}, {"南片板块", 40, 40}},
		Categories: []Bar{{"社区", 20, 40}, {"学校", 10, 18}, {"医疗机构", 5, 18}, {"文化娱乐场所", 3, 18},
			{"宾馆酒店", 6, 18}, {"危化企业", 9, 18}, {"大型综合体", 2, 18}, {"高层建筑", 0, 18}, {"其他", 9, 9}},
	}
}

// tofuLabels replaces every bar label by as many missing glyphs.
func tofuLabels(d Data) Data {
	swap := func(bars []Bar) []Bar {
		out := append([]Bar(nil), bars...)
		for i := range out {
			out[i].Label = strings.Repeat(string(tofu), len([]rune(out[i].Label)))
		}
		return out
	}
	d.Sectors, d.Categories = swap(d.Sectors), swap(d.Categories)
	return d
}

func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	return img
}

func dark(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r < 0x8000 && g < 0x8000 && b < 0x8000
}

func TestProgressPNG(t *testing.T) {
	b, err := Progress(sample())
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > MaxPNGBytes {
		t.Errorf("%d bytes, over WeCom's image limit", len(b))
	}
	img := decode(t, b)
	if got := img.Bounds().Dx(); got != widthPt*4/3 {
		t.Errorf("width %d px", got)
	}
	// The bars are drawn: fire-red pixels exist.
	red := 0
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if r>>8 == 0xd9 && g>>8 == 0x3a && b>>8 == 0x2b {
				red++
			}
		}
	}
	if red < 1000 {
		t.Errorf("%d bar pixels", red)
	}
}

// The bar labels at the left of the chart are drawn with real glyphs: the
// label column differs from the same chart drawn with missing glyphs, and
// holds dark (text) pixels.
func TestLabelsAreGlyphsNotTofu(t *testing.T) {
	d := sample()
	real, err := Progress(d)
	if err != nil {
		t.Fatal(err)
	}
	boxes, err := Progress(tofuLabels(d))
	if err != nil {
		t.Fatal(err)
	}
	a, b := decode(t, real), decode(t, boxes)
	// The label column: left of the widest label, below the title.
	col := image.Rect(0, 130, 110, a.Bounds().Dy())
	differ, ink := 0, 0
	for y := col.Min.Y; y < col.Max.Y; y++ {
		for x := col.Min.X; x < col.Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				differ++
			}
			if dark(a.At(x, y)) {
				ink++
			}
		}
	}
	if differ < 500 || ink < 500 {
		t.Errorf("label column: %d pixels differ from tofu, %d dark pixels", differ, ink)
	}
}

// renderText draws s alone with the chart's text handler.
func renderText(t *testing.T, s string) *image.RGBA {
	t.Helper()
	fs, err := loadFaces()
	if err != nil {
		t.Fatal(err)
	}
	c := vgimg.NewWith(vgimg.UseWH(200, 40), vgimg.UseDPI(96))
	dc := draw.New(c)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	dc.FillText(style(mixedText{fs: fs}, 20), vg.Point{X: 5, Y: 10}, s)
	return c.Image().(*image.RGBA)
}

func TestGlyphsDifferFromMissingGlyph(t *testing.T) {
	missing := renderText(t, string([]rune{tofu, tofu, tofu, tofu}))
	for _, s := range []string{"北片板块", "医疗机构", "文化娱乐场所", "85%（17/20）"} {
		t.Run(s, func(t *testing.T) {
			got := renderText(t, s)
			if bytes.Equal(got.Pix, missing.Pix) {
				t.Fatal("drawn as missing glyphs")
			}
			ink := 0
			for i := 0; i < len(got.Pix); i += 4 {
				if got.Pix[i] < 0x80 {
					ink++
				}
			}
			if ink < 50 {
				t.Errorf("%d dark pixels", ink)
			}
		})
	}
	// Every character a chart of the example campaign uses has a glyph.
	all := "上清寺街道2023年“119”消防宣传月 完成进度截至按板块类别已完成任务占应比例%（）/0123456789未分社区" +
		"北中南片" + strings.Join(categoryNames(), "")
	missingRunes, err := Covers(all)
	if err != nil || len(missingRunes) != 0 {
		t.Errorf("runes without a glyph: %q (%v)", string(missingRunes), err)
	}
	if m, _ := Covers(string(tofu)); len(m) != 1 {
		t.Errorf("Covers does not see the missing glyph: %q", m)
	}
}

func categoryNames() []string {
	var out []string
	for _, c := range campaign.Categories() {
		out = append(out, string(c))
	}
	return out
}

func TestNoData(t *testing.T) {
	if _, err := Progress(Data{Title: "空"}); !errors.Is(err, ErrNoData) {
		t.Errorf("err %v", err)
	}
}

func TestTally(t *testing.T) {
	roster := campaign.Roster{
		{ID: "s1", Name: "北片板块", Kind: campaign.KindSector},
		{ID: "s2", Name: "南片板块", Kind: campaign.KindSector},
		{ID: "c1", Name: "学田湾社区", Kind: campaign.KindCommunity, Sector: "s1"},
		{ID: "o1", Name: "示例实验小学", Kind: campaign.KindOrganisation, Category: campaign.CategorySchool, Sector: "s2"},
		{ID: "o2", Name: "示例物业", Kind: campaign.KindOrganisation, Category: campaign.CategoryOther},
		{ID: "o3", Name: "示例中学", Kind: campaign.KindOrganisation, Category: campaign.CategorySchool, Sector: "gone"},
	}
	tl := NewTally(roster)
	tl.Add(roster[0], 0, 0) // a sector without tasks: ignored
	tl.Add(roster[2], 3, 5)
	tl.Add(roster[3], 1, 10)
	tl.Add(roster[4], 2, 9)
	tl.Add(roster[5], 4, 10)
	want := Data{Title: "t", Subtitle: "s",
		Sectors:    []Bar{{"北片板块", 3, 5}, {"南片板块", 1, 10}, {LabelNoSector, 6, 19}},
		Categories: []Bar{{LabelCommunity, 3, 5}, {"学校", 5, 20}, {"其他", 2, 9}},
	}
	if diff := cmp.Diff(want, tl.Data("t", "s")); diff != "" {
		t.Errorf("tally (-want +got):\n%s", diff)
	}
	if got := tl.Total(); got != (Bar{LabelTotal, 10, 34}) {
		t.Errorf("total %+v", got)
	}
	if got := (Bar{Done: 17, Total: 20}).Text(); got != "85%（17/20）" {
		t.Errorf("label %q", got)
	}
}

// Charts drawn at once (two office chats asking together) share the
// lazily loaded font safely.
func TestConcurrentCharts(t *testing.T) {
	errs := make(chan error, 3)
	for range 3 {
		go func() {
			_, err := Progress(sample())
			errs <- err
		}()
	}
	for range 3 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// Percentages round half up, in integers (no binary fractions).
func TestPercentRoundsHalfUp(t *testing.T) {
	for _, tc := range [][3]int{{1, 8, 13}, {3, 8, 38}, {5, 8, 63}, {1, 3, 33}, {2, 3, 67}, {1, 200, 1}, {1, 201, 0}, {0, 5, 0}, {5, 5, 100}, {3, 0, 0}} {
		if got := Percent(tc[0], tc[1]); got != tc[2] {
			t.Errorf("Percent(%d, %d) = %d, want %d", tc[0], tc[1], got, tc[2])
		}
	}
	if got := (Bar{Done: 1, Total: 8}).Text(); got != "13%（1/8）" {
		t.Errorf("Text %q", got)
	}
}
