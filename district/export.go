package district

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"firebot/bot"
	"firebot/outbox"
	"firebot/store"
	"firebot/workbook"
)

// CmdExport is the district staff's export: one workbook across the
// streets (workbook.WriteDistrict) sent as a file to the district's chats.
const CmdExport = "导出"

// MaxUpload is WeCom's limit for a file uploaded by a group robot.
const MaxUpload = 20 << 20

// ExportDir is where a district's export files go under the media
// directory: <media dir>/district/exports, apart from every street's.
func ExportDir(mediaDir string) string { return filepath.Join(mediaDir, "district", "exports") }

// exportFile is a district workbook written for one 导出 message, or why
// it could not be sent.
type exportFile struct {
	path, name string
	size       int64
	streets    int
	at         time.Time
	refused    string // the reply when there is nothing to send
}

// writeExport writes the district workbook under d.Exports (Prepare: no
// unit of work is open). The file is named after the message, so a
// message handled again rewrites the same file; it is written to a
// temporary file first and renamed, so a chat never receives half a
// workbook.
func (d *Desk) writeExport(ctx context.Context, m *bot.Message) (*exportFile, error) {
	if len(d.Streets) == 0 {
		return &exportFile{refused: "本区还没有配置街道。"}, nil
	}
	if len(d.Chats) == 0 {
		return &exportFile{refused: "本区没有配置区级工作群（district_chats），汇总表无处发送。"}, nil
	}
	if d.Exports == "" || d.Campaign == nil {
		return nil, errors.New("district: export: no export directory or clock")
	}
	now := d.Campaign.Now()
	if c := d.Streets[0].Config; c != nil && c.Location != nil {
		now = now.In(c.Location)
	}
	sum := sha256.Sum256([]byte(m.DedupeKey))
	path := filepath.Join(d.Exports, now.Format("20060102-150405")+"-"+hex.EncodeToString(sum[:4])+".xlsx")
	streets := make([]workbook.Street, 0, len(d.Streets))
	for _, s := range d.Streets {
		streets = append(streets, workbook.Street{ID: s.ID, Name: s.label(), Store: s.Store, Config: s.Config})
	}
	err := writeFile(path, func(w *bufio.Writer) error {
		return workbook.WriteDistrict(ctx, w, d.Name, streets, workbook.Options{Now: now, TmpDir: d.Exports})
	})
	if se := (*workbook.StreetError)(nil); errors.As(err, &se) {
		return &exportFile{refused: fmt.Sprintf("汇总表没有生成：%s的数据暂时读不到。为免漏掉街道，没有发送不完整的表，请稍后再发送“导出”。", se.Street)}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("district: export: %w", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("district: export: %w", err)
	}
	if d.Keep > 0 {
		prune(d.Exports, fi.ModTime().Add(-d.Keep))
	}
	f := &exportFile{path: path, size: fi.Size(), streets: len(streets), at: now,
		name: fmt.Sprintf("%s各街道汇总-%s.xlsx", d.Name, now.Format("20060102-1504"))}
	if f.size > MaxUpload {
		f.refused = fmt.Sprintf("全区汇总表已生成（%.1f MB），超过企业微信群文件20MB的上传上限，没有发送。文件在服务器上：%s", float64(f.size)/(1<<20), path)
	}
	return f, nil
}

// export enqueues the written workbook, with a line saying what it is, to
// every district chat through the district's outbox.
func (d *Desk) export(tx store.Tx, m *bot.Message, f *exportFile) (bot.Reply, error) {
	if f == nil {
		return bot.NoReply, errors.New("district: export: nothing prepared")
	}
	if f.refused != "" {
		return reply(f.refused), nil
	}
	chats := make([]string, 0, len(d.Chats))
	for c := range d.Chats {
		chats = append(chats, c)
	}
	slices.Sort(chats)
	source := outbox.Key("district-export", m.DedupeKey)
	head := fmt.Sprintf("【%s导出】各街道活动汇总和志愿者推荐表（%d个街道，截至%s）：%s",
		d.Name, f.streets, f.at.Format("2006-01-02 15:04"), f.name)
	for _, c := range chats {
		if err := outbox.GroupText(tx, outbox.Key(source, "head", c), source, c, head, nil); err != nil {
			return bot.NoReply, err
		}
		e, err := outbox.Entry(outbox.Key(source, "file", c), source, outbox.ChannelWebhook, c,
			outbox.Message{WebhookFile: &outbox.FileRef{Path: f.path, Name: f.name}})
		if err != nil {
			return bot.NoReply, err
		}
		if _, err := store.EnqueueOutbox(tx, e); err != nil {
			return bot.NoReply, err
		}
	}
	return reply(fmt.Sprintf("全区汇总表（%d个街道）已生成，已发到区级工作群（%d个）：%s", f.streets, len(chats), f.name)), nil
}

// writeFile writes path through a temporary file in its directory and
// renames it into place; on failure nothing is left at path.
func writeFile(path string, write func(*bufio.Writer) error) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".export-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // gone after the rename
	w := bufio.NewWriter(tmp)
	err = write(w)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// prune removes the export files (and leftover temporary files) last
// written before cutoff: the workbooks hold nominees' phone numbers and
// are kept only as long as media.exports_keep says. The cutoff comes
// from the newest file's own time, so no clock is needed. Errors are
// ignored: the next export tries again.
func prune(dir string, cutoff time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || (filepath.Ext(n) != ".xlsx" && filepath.Ext(n) != ".tmp") {
			continue
		}
		if info, err := e.Info(); err == nil && info.ModTime().Before(cutoff) {
			_ = os.Remove(filepath.Join(dir, n))
		}
	}
}
