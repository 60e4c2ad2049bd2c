package workbook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"firebot/config"
	"firebot/store"
)

// MaxChatParts is how many photo zips Build makes for one chat reply; more
// photos than that are for the command line.
const MaxChatParts = 5

// Build makes the report for the office chat command 导出: the workbook and
// the photos as zips of at most MaxPartBytes each (part 1, 2…), ready for
// the group robot's file upload. now is the campaign clock. The export is
// recorded (archive.MarkExported), as the command line's is.
//
// When the workbook is over MaxPartBytes, or the photos need more than
// MaxChatParts parts, the error is a *TooLarge saying what did not fit (it
// wraps ErrTooLargeForChat; the office says it in Chinese, e.g. 照片共
// 130.5 MB); xlsx is still returned (so a small workbook can be sent alone) and
// photoParts is nil: the reply should tell the office to run
// "firebot export" instead.
func Build(ctx context.Context, st store.Store, cfg *config.Config, now time.Time) (xlsx []byte, photoParts [][]byte, err error) {
	return build(ctx, st, cfg, now, MaxPartBytes, MaxChatParts)
}

// build is Build with its limits as parameters.
func build(ctx context.Context, st store.Store, cfg *config.Config, now time.Time, partBytes int64, maxParts int) (xlsx []byte, photoParts [][]byte, err error) {
	// Names recorded on one record name the same person elsewhere (the
	// office user who entered a report on a unit's behalf).
	_, _ = LearnNames(ctx, st, cfg, nil, now)
	var wb bytes.Buffer
	if err := Write(ctx, &wb, st, cfg, Options{Now: now}); err != nil {
		return nil, nil, err
	}
	xlsx = wb.Bytes()
	if err := markExported(ctx, st, cfg, now); err != nil {
		return nil, nil, err
	}
	if int64(len(xlsx)) > partBytes {
		return xlsx, nil, &TooLarge{What: TooLargeWorkbook, Bytes: int64(len(xlsx))}
	}
	photos, _, err := listPhotos(ctx, st, cfg)
	if err != nil {
		return xlsx, nil, fmt.Errorf("%w: list photos: %w", ErrExport, err)
	}
	var total int64
	for _, p := range photos {
		if fi, err := statSize(p.path); err == nil {
			total += fi
		}
	}
	if total > int64(maxParts)*partBytes {
		return xlsx, nil, &TooLarge{What: TooLargePhotos, Bytes: total}
	}
	var parts []*bytes.Buffer
	stats, err := WritePhotoParts(ctx, st, cfg, partBytes, func(int) (io.Writer, error) {
		if len(parts) == maxParts {
			return nil, ErrTooLargeForChat
		}
		b := new(bytes.Buffer)
		parts = append(parts, b)
		return b, nil
	}, Options{Now: now})
	if errors.Is(err, ErrTooLargeForChat) {
		return xlsx, nil, &TooLarge{What: TooManyParts, Parts: maxParts}
	}
	if err != nil {
		return xlsx, nil, err
	}
	if len(stats.Oversize) > 0 {
		return xlsx, nil, &TooLarge{What: TooLargePhoto, Bytes: partBytes, File: stats.Oversize[0]}
	}
	if stats.Files == 0 {
		return xlsx, nil, nil
	}
	for _, b := range parts {
		photoParts = append(photoParts, b.Bytes())
	}
	return xlsx, photoParts, nil
}

// What a TooLarge is about.
const (
	TooLargeWorkbook = "workbook" // the workbook alone: Bytes
	TooLargePhotos   = "photos"   // the photos together: Bytes
	TooManyParts     = "parts"    // the photos need more than Parts zip parts
	TooLargePhoto    = "photo"    // one photo (File) exceeds a part's Bytes
)

// TooLarge is what did not fit in the chat; it unwraps to
// ErrTooLargeForChat. The workbook that was built comes with it.
type TooLarge struct {
	What  string
	Bytes int64
	Parts int
	File  string
}

func (e *TooLarge) Error() string {
	switch e.What {
	case TooManyParts:
		return fmt.Sprintf("%v: photos need more than %d zip parts", ErrTooLargeForChat, e.Parts)
	case TooLargePhoto:
		return fmt.Sprintf("%v: photo %s larger than %d bytes", ErrTooLargeForChat, e.File, e.Bytes)
	}
	return fmt.Sprintf("%v: %s of %d bytes", ErrTooLargeForChat, e.What, e.Bytes)
}

func (e *TooLarge) Unwrap() error { return ErrTooLargeForChat }
