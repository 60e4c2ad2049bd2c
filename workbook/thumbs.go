package workbook

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	_ "image/png" // photos may be PNG
	"os"
	"path/filepath"

	"github.com/xuri/excelize/v2"
	"golang.org/x/image/draw"
)

// Each 活动明细 line shows its first photo as a thumbnail in the 照片
// column: a small JPEG made from the photo (the originals go in the
// photos zip), placed in the cell and scaled to the row.
const (
	thumbRowHeight = 64  // points: the height of a line with a thumbnail
	thumbColWidth  = 14  // the 照片 column, in Excel's width units
	thumbPixels    = 160 // the thumbnail's longer side
	maxPhotoPixels = 80 << 20
)

// thumb is a picture to place in the streamed sheet.
type thumb struct {
	ref  string // e.g. "O5"
	jpg  []byte
	w, h int // pixels
}

// photoFile is the file of a stored photo name under the media directory
// ("" when the name is not a safe relative path).
func (e *exporter) photoFile(stored string) string {
	rel := filepath.FromSlash(stored)
	if !filepath.IsLocal(rel) {
		return ""
	}
	return filepath.Join(e.cfg.Media.Dir, rel)
}

// present reports whether a stored photo can be read.
func (e *exporter) present(stored string) bool {
	p := e.photoFile(stored)
	if p == "" {
		return false
	}
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

// thumbnail makes a small JPEG of the photo at path.
func thumbnail(path string) (thumb, error) {
	f, err := os.Open(path)
	if err != nil {
		return thumb{}, err
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	if err != nil {
		return thumb{}, err
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPhotoPixels {
		return thumb{}, fmt.Errorf("photo of %d×%d pixels", cfg.Width, cfg.Height)
	}
	if _, err := f.Seek(0, 0); err != nil {
		return thumb{}, err
	}
	src, _, err := image.Decode(f)
	if err != nil {
		return thumb{}, err
	}
	b := src.Bounds()
	w, h := thumbPixels, thumbPixels
	if b.Dx() >= b.Dy() {
		h = max(1, b.Dy()*thumbPixels/b.Dx())
	} else {
		w = max(1, b.Dx()*thumbPixels/b.Dy())
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), src, b, draw.Src, nil)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: 80}); err != nil {
		return thumb{}, err
	}
	return thumb{jpg: buf.Bytes(), w: w, h: h}, nil
}

// thumbScale fits a w×h picture in a thumbnail cell, leaving a margin.
func thumbScale(w, h int) float64 {
	const cellW, cellH = thumbColWidth*7 + 5, thumbRowHeight * 96 / 72 // pixels
	return min(float64(cellW-6)/float64(w), float64(cellH-6)/float64(h), 1)
}

// placeThumbs puts the thumbnails in a sheet being streamed (before its
// Flush), each scaled to fit its cell (the row is thumbRowHeight high).
func placeThumbs(f *excelize.File, sheet string, thumbs []thumb) error {
	for _, t := range thumbs {
		err := f.AddPictureFromBytes(sheet, t.ref, &excelize.Picture{
			Extension: ".jpg", File: t.jpg,
			Format: &excelize.GraphicOptions{ScaleX: thumbScale(t.w, t.h), ScaleY: thumbScale(t.w, t.h),
				LockAspectRatio: true, Positioning: "oneCell", OffsetX: 3, OffsetY: 3},
		})
		if err != nil {
			return fmt.Errorf("picture %s!%s: %w", sheet, t.ref, err)
		}
	}
	return nil
}
