package chart

import (
	"math"
	"strings"

	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// mixedText is a gonum text.Handler that draws each run of text with the
// first font that has its glyphs: Liberation Sans for Latin letters, digits
// and ASCII punctuation, Droid Sans Fallback for Chinese and full-width
// punctuation. gonum's own text.Plain draws a whole string with one font,
// and neither font covers a label such as "学校 85%（17/20）" alone.
type mixedText struct {
	fs faces
}

var _ text.Handler = mixedText{}

// run is a stretch of text drawn with one face.
type run struct {
	s   string
	cjk bool
}

// runs splits s into runs by font.
func (h mixedText) runs(s string) []run {
	var (
		out []run
		buf sfnt.Buffer
		b   strings.Builder
		cur bool
	)
	for i, r := range s {
		cjk := !has(h.fs.latin, &buf, r) && has(h.fs.cjk, &buf, r)
		if i > 0 && cjk != cur && b.Len() > 0 {
			out = append(out, run{s: b.String(), cjk: cur})
			b.Reset()
		}
		cur = cjk
		b.WriteRune(r)
	}
	if b.Len() > 0 {
		out = append(out, run{s: b.String(), cjk: cur})
	}
	return out
}

// face returns the face of one font at the size of fnt.
func (h mixedText) face(fnt font.Font, cjk bool) font.Face {
	f := font.Font{Typeface: "Liberation", Variant: "Sans", Size: fnt.Size}
	tt := h.fs.latin
	if cjk {
		f = font.Font{Typeface: "DroidSansFallback", Size: fnt.Size}
		tt = h.fs.cjk
	}
	return font.Face{Font: f, Face: tt}
}

// Cache is not used by gonum's drawing code; the faces are held directly.
func (h mixedText) Cache() *font.Cache { return font.DefaultCache }

// Extents covers both fonts, so mixed lines share one baseline and height.
func (h mixedText) Extents(fnt font.Font) font.Extents {
	fa, fb := h.face(fnt, false), h.face(fnt, true)
	a, b := fa.Extents(), fb.Extents()
	return font.Extents{
		Ascent:  max(a.Ascent, b.Ascent),
		Descent: max(a.Descent, b.Descent),
		Height:  max(a.Height, b.Height),
	}
}

// Lines splits text on newlines.
func (h mixedText) Lines(txt string) []string {
	return strings.Split(strings.TrimRight(txt, "\n"), "\n")
}

// Box measures one line.
func (h mixedText) Box(txt string, fnt font.Font) (width, height, depth vg.Length) {
	ext := h.Extents(fnt)
	return h.width(txt, fnt), ext.Ascent, ext.Descent
}

func (h mixedText) width(line string, fnt font.Font) vg.Length {
	var w vg.Length
	for _, r := range h.runs(line) {
		f := h.face(fnt, r.cjk)
		w += f.Width(r.s)
	}
	return w
}

// Draw renders txt like text.Plain does, run by run.
func (h mixedText) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	txt = strings.TrimRight(txt, "\n")
	if txt == "" {
		return
	}
	c.SetColor(sty.Color)
	if sty.Rotation != 0 {
		c.Push()
		c.Rotate(sty.Rotation)
	}
	sin64, cos64 := math.Sincos(sty.Rotation)
	cos, sin := vg.Length(cos64), vg.Length(sin64)
	pt.X, pt.Y = pt.Y*sin+pt.X*cos, pt.Y*cos-pt.X*sin

	lines := h.Lines(txt)
	ht := sty.Height(txt)
	pt.Y += ht*vg.Length(sty.YAlign) - h.Extents(sty.Font).Ascent
	for i, line := range lines {
		x := pt.X + vg.Length(sty.XAlign)*h.width(line, sty.Font)
		y := pt.Y + vg.Length(len(lines)-i)*sty.Font.Size
		for _, r := range h.runs(line) {
			f := h.face(sty.Font, r.cjk)
			c.FillString(f, vg.Point{X: x, Y: y}, r.s)
			x += f.Width(r.s)
		}
	}
	if sty.Rotation != 0 {
		c.Pop()
	}
}
