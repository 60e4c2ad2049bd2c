package workbook

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"firebot/campaign"
	"firebot/config"
	"firebot/ledger"
	"firebot/store"
)

// MaxPartBytes is the largest file a group robot may upload (webhook
// upload_media: 20 MB), with room to spare for either reading of "MB".
const MaxPartBytes = 20_000_000

// PhotoStats says what a photos export wrote.
type PhotoStats struct {
	Files   int      // photos written
	Bytes   int64    // their total size
	Parts   int      // zip files written
	Missing []string // photos listed on records but unreadable: "unit/file: reason"
	// Oversize lists photos larger than a part on their own; each was
	// written alone in a part that exceeds the limit.
	Oversize []string
}

// photo is one file to put in the zip.
type photo struct {
	zipName  string // <unit folder>/<record id>-<n>.<ext>
	path     string // on disk, under media.dir
	modified time.Time
}

// listPhotos lists the photos of every active confirmation that counts
// towards progress, unit by unit in roster order, in the same order and
// with the same names as the activity details sheet.
func listPhotos(ctx context.Context, st store.Store, cfg *config.Config) ([]photo, []string, error) {
	var (
		out  []photo
		bad  []string
		loc  = cfg.Location
		root = cfg.Media.Dir
	)
	if loc == nil {
		loc = time.Local
	}
	err := st.View(ctx, func(tx store.Tx) error {
		out, bad = out[:0], bad[:0]
		roster, err := rosterOf(tx, cfg)
		if err != nil {
			return err
		}
		return eachProgress(ctx, tx, &cfg.Campaign, roster, func(_ int, u campaign.Unit, p ledger.UnitProgress) error {
			folder := folderName(u)
			for _, ts := range p.Tasks {
				for _, r := range ts.Records {
					c, err := ledger.DecodeConfirmation(r)
					if err != nil {
						continue
					}
					names := PhotoNames(r, c)
					for i, stored := range c.Photos {
						zn := folder + "/" + names[i]
						rel := filepath.FromSlash(stored)
						if !filepath.IsLocal(rel) {
							bad = append(bad, zn+"：文件名不安全")
							continue
						}
						out = append(out, photo{zipName: zn, path: filepath.Join(root, rel), modified: r.CreatedAt.In(loc)})
					}
				}
			}
			return nil
		})
	})
	return out, bad, err
}

// MissingPhotos lists the photos recorded on counted confirmations that
// cannot be read ("学田湾社区/HD-0002-2.jpg：文件不存在"), in the order and
// with the names of the photos zip and the 活动明细 sheet, which counts
// them as 缺失照片 and not in 照片数.
func MissingPhotos(ctx context.Context, st store.Store, cfg *config.Config) ([]string, error) {
	photos, bad, err := listPhotos(ctx, st, cfg)
	if err != nil {
		return nil, fmt.Errorf("%w: list photos: %w", ErrExport, err)
	}
	for _, ph := range photos {
		fi, err := os.Stat(ph.path)
		switch {
		case err != nil:
			bad = append(bad, ph.zipName+"："+reasonOf(err))
		case !fi.Mode().IsRegular():
			bad = append(bad, ph.zipName+"：不是普通文件")
		}
	}
	return bad, nil
}

// folderName is a unit's folder in the zip: its name without characters
// file systems refuse.
func folderName(u campaign.Unit) string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < ' ' {
			return '_'
		}
		return r
	}, u.Name)
	name = strings.Trim(name, " .")
	if name == "" {
		return u.ID
	}
	return name
}

// WritePhotos writes the photos of every counted confirmation to w as one
// zip: a folder per unit, each file named after its record
// (学田湾社区/HD-0003-1.jpg). Unreadable photos are skipped and listed in
// the stats. JPEG and PNG are already compressed, so files are stored.
func WritePhotos(ctx context.Context, w io.Writer, st store.Store, cfg *config.Config, opts Options) (PhotoStats, error) {
	used := false
	return WritePhotoParts(ctx, st, cfg, 0, func(int) (io.Writer, error) {
		if used {
			return nil, errors.New("workbook: one zip only")
		}
		used = true
		return w, nil
	}, opts)
}

// WritePhotoParts writes the photos as several complete zip files (not one
// zip cut in pieces, which a phone cannot open), each at most limit bytes,
// in the layout of WritePhotos. next is called for part 1, 2… as each is
// needed; limit 0 means no limit (one part). A single photo larger than a
// part is written alone in its own part and listed in Oversize.
func WritePhotoParts(ctx context.Context, st store.Store, cfg *config.Config, limit int64, next func(part int) (io.Writer, error), opts Options) (PhotoStats, error) {
	var stats PhotoStats
	photos, bad, err := listPhotos(ctx, st, cfg)
	if err != nil {
		return stats, fmt.Errorf("%w: list photos: %w", ErrExport, err)
	}
	stats.Missing = bad
	var part *zipPart
	// put adds one file, starting a new part when it would not fit.
	put := func(name string, modified time.Time, r io.Reader, size int64) error {
		if part != nil && limit > 0 && !part.fits(name, size, limit) {
			if err := part.zw.Close(); err != nil {
				return fmt.Errorf("close zip: %w", err)
			}
			part = nil
		}
		if part == nil {
			w, err := next(stats.Parts + 1)
			if err != nil {
				return fmt.Errorf("open part %d: %w", stats.Parts+1, err)
			}
			stats.Parts++
			part = newZipPart(w)
			if limit > 0 && !part.fits(name, size, limit) {
				stats.Oversize = append(stats.Oversize, name)
			}
		}
		if err := part.add(name, modified, r, size); err != nil {
			return fmt.Errorf("zip %s: %w", name, err)
		}
		return nil
	}
	for i, ph := range photos {
		if err := ctx.Err(); err != nil {
			return stats, err
		}
		f, err := os.Open(ph.path)
		if err != nil {
			stats.Missing = append(stats.Missing, ph.zipName+"："+reasonOf(err))
			continue
		}
		info, err := f.Stat()
		if err != nil || !info.Mode().IsRegular() {
			f.Close()
			stats.Missing = append(stats.Missing, ph.zipName+"：不是普通文件")
			continue
		}
		err = put(ph.zipName, ph.modified, f, info.Size())
		f.Close()
		if err != nil {
			return stats, fmt.Errorf("%w: %w", ErrExport, err)
		}
		stats.Files++
		stats.Bytes += info.Size()
		opts.progress(i+1, len(photos))
	}
	if len(stats.Missing) > 0 {
		// Say in the zip itself what is not there, so the office sees it
		// however the zip reached them.
		text := MissingPhotosNote + "\r\n" + strings.Join(stats.Missing, "\r\n") + "\r\n"
		loc := cfg.Location
		if loc == nil {
			loc = time.Local
		}
		if err := put(MissingPhotosFile, opts.Now.In(loc), strings.NewReader(text), int64(len(text))); err != nil {
			return stats, fmt.Errorf("%w: %w", ErrExport, err)
		}
	}
	if part == nil {
		// No photo at all: still one valid, empty zip.
		w, err := next(1)
		if err != nil {
			return stats, fmt.Errorf("%w: open part 1: %w", ErrExport, err)
		}
		stats.Parts = 1
		part = newZipPart(w)
	}
	if err := part.zw.Close(); err != nil {
		return stats, fmt.Errorf("%w: close zip: %w", ErrExport, err)
	}
	return stats, nil
}

// The file in the (last) zip that lists photos that could not be exported.
const (
	MissingPhotosFile = "缺失照片.txt"
	MissingPhotosNote = "以下照片记录在案，但未能导出："
)

func reasonOf(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "文件不存在"
	case errors.Is(err, fs.ErrPermission):
		return "没有读取权限"
	}
	return "无法读取"
}

// zipPart is one zip being written, with the bytes it will take once
// closed.
type zipPart struct {
	cw *countWriter
	zw *zip.Writer
	cd int64 // central directory bytes to come
}

func newZipPart(w io.Writer) *zipPart {
	cw := &countWriter{w: w}
	return &zipPart{cw: cw, zw: zip.NewWriter(cw)}
}

// Sizes of zip records (APPNOTE 4.3), generously: an extended-timestamp
// extra field on each header and zip64 fields in case they are used.
const (
	zipLocalFixed   = 30 + 9 + 20
	zipDescriptor   = 24
	zipCentralFixed = 46 + 9 + 28
	zipEnd          = 22 + 56 + 20
	zipSlack        = 512
)

// fits reports whether a file of size under name still fits in limit.
func (p *zipPart) fits(name string, size, limit int64) bool {
	n := int64(len(name))
	total := p.cw.n + zipLocalFixed + n + size + zipDescriptor + p.cd + zipCentralFixed + n + zipEnd + zipSlack
	return total <= limit
}

// add stores a file. modified is in the campaign's zone: the entry keeps
// its wall clock as the MS-DOS time, and no extended (UTC) timestamp, so
// every unzip tool shows the campaign's local time whatever the zone of
// the computer that opens it (with both, Info-ZIP and others convert the
// UTC stamp to their own zone: 8 hours off on a server kept in UTC).
func (p *zipPart) add(name string, modified time.Time, r io.Reader, size int64) error {
	hdr := &zip.FileHeader{Name: name, Method: zip.Store}
	//lint:ignore SA1019 deliberate: Modified would add the UTC extended timestamp this entry must not have (see above)
	hdr.ModifiedDate, hdr.ModifiedTime = msDosTime(modified)
	w, err := p.zw.CreateHeader(hdr)
	if err != nil {
		return err
	}
	// Copy exactly the size measured, so the part's accounting holds even
	// if the file grows meanwhile.
	if _, err := io.CopyN(w, r, size); err != nil {
		return err
	}
	p.cd += zipCentralFixed + int64(len(name))
	return nil
}

// msDosTime is t's wall clock as MS-DOS date and time fields (two-second
// resolution, years 1980–2107).
func msDosTime(t time.Time) (date, clock uint16) {
	if t.IsZero() || t.Year() < 1980 {
		return 0x21, 0 // 1980-01-01 00:00
	}
	date = uint16(t.Day() + int(t.Month())<<5 + (min(t.Year(), 2107)-1980)<<9)
	clock = uint16(t.Second()/2 + t.Minute()<<5 + t.Hour()<<11)
	return date, clock
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

func statSize(path string) (int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}
