package chart

import (
	_ "embed"
	"fmt"
	"sync"

	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot/font"
)

// droidTTF is Droid Sans Fallback (Apache-2.0; see fonts/NOTICE.txt).
//
//go:embed fonts/DroidSansFallbackFull.ttf
var droidTTF []byte

// latinFont is the face the text handler uses for every rune it has:
// Liberation Sans, which gonum/plot registers in font.DefaultCache.
var latinFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

// faces are the parsed fonts, loaded on the first chart drawn.
type faces struct {
	cjk   *opentype.Font
	latin *opentype.Font
}

var (
	loadOnce   sync.Once
	loaded     faces
	errLoading error
)

// loadFaces parses the embedded font once, on first use.
func loadFaces() (faces, error) {
	loadOnce.Do(func() {
		cjk, err := opentype.Parse(droidTTF)
		if err != nil {
			errLoading = fmt.Errorf("chart: parse embedded font: %w", err)
			return
		}
		latin := font.DefaultCache.Lookup(latinFont, 10).Face
		if latin == nil {
			errLoading = fmt.Errorf("chart: Liberation Sans is not registered")
			return
		}
		loaded = faces{cjk: cjk, latin: latin}
	})
	return loaded, errLoading
}

// has reports whether f has a glyph for r.
func has(f *opentype.Font, buf *sfnt.Buffer, r rune) bool {
	g, err := f.GlyphIndex(buf, r)
	return err == nil && g != 0
}

// Covers reports the runes of s that neither embedded font can draw (they
// would come out as empty boxes). The office can check names with it.
func Covers(s string) (missing []rune, err error) {
	fs, err := loadFaces()
	if err != nil {
		return nil, err
	}
	var buf sfnt.Buffer
	for _, r := range s {
		if r == '\n' || r == ' ' {
			continue
		}
		if !has(fs.latin, &buf, r) && !has(fs.cjk, &buf, r) {
			missing = append(missing, r)
		}
	}
	return missing, nil
}
