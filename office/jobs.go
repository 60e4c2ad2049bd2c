package office

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"firebot/bot"
	"firebot/config"
	"firebot/handlers"
	"firebot/outbox"
	"firebot/store"
	"firebot/workbook"
	"firebot/zhfmt"
)

// 导出 and 图表 are slow, so the command only records a job (keyed by the
// message, so a retried callback finds the same job) and answers at once;
// Tick does the work and enqueues the uploads under keys derived from the
// job, so a job redone after a crash never uploads twice.

// Job kinds (what EnqueueJob is asked for) and statuses.
const (
	JobExport = "export" // 导出: the workbook and the photos
	JobChart  = "chart"  // 图表: the progress chart

	jobPending = "pending"
	jobDone    = "done"
	jobFailed  = "failed"

	jobAttempts = 3
	jobLease    = 10 * time.Minute
)

// job is a 导出 or 图表 asked for and not yet delivered.
type job struct {
	ID       string    `json:"id"`
	Kind     string    `json:"kind"`
	By       string    `json:"by"`
	ByName   string    `json:"by_name,omitempty"`
	ChatID   string    `json:"chat_id"`
	Office   bool      `json:"office"` // asked in an office chat
	Created  time.Time `json:"created"`
	Status   string    `json:"status"`
	Attempts int       `json:"attempts"`
	Error    string    `json:"error,omitempty"`
}

const (
	bJobs   = "office_job"
	bJobDue = "office_job_due"
)

func jobID(dedupe string) string {
	sum := sha256.Sum256([]byte(dedupe))
	return "JOB-" + hex.EncodeToString(sum[:8])
}

// EnqueueJob records a job of kind (JobExport, JobChart) keyed by the
// message, so a retried callback finds the same job, and answers reply at
// once; Tick does the work.
func EnqueueJob(c *handlers.Context, kind, reply string) (bot.Reply, error) {
	j := job{
		ID: jobID(c.Msg.DedupeKey), Kind: kind, By: c.Msg.SenderID, ByName: c.Msg.SenderName,
		ChatID: c.Msg.ChatID, Office: c.Group() && OfficeChat(c.Config, c.Msg.ChatID),
		Created: c.Now, Status: jobPending,
	}
	// A message handled again (its dedupe memory gone) finds its job
	// recorded: a job done or failed is not run again.
	data, err := json.Marshal(j)
	if err != nil {
		return bot.NoReply, err
	}
	created, err := store.PutIfAbsent(c.Tx, bJobs, j.ID, data, 0)
	if err != nil || !created {
		return c.Reply(reply), err
	}
	if _, err := store.PutIfAbsent(c.Tx, bJobDue, j.ID, nil, 0); err != nil {
		return bot.NoReply, err
	}
	return c.Reply(reply), nil
}

// runJobs runs every pending job once.
func runJobs(ctx context.Context, d Options) error {
	var due []string
	if err := d.Store.View(ctx, func(tx store.Tx) error {
		return tx.Scan(bJobDue, "", "", func(k string, _ []byte) error {
			due = append(due, k)
			return nil
		})
	}); err != nil {
		return fmt.Errorf("office: list jobs: %w", err)
	}
	var errs []error
	for _, id := range due {
		if err := runJob(ctx, d, id); err != nil {
			errs = append(errs, fmt.Errorf("office: job %s: %w", id, err))
		}
	}
	return errors.Join(errs...)
}

// runJob takes job id under a store lease (office_job/<id>, d.JobLease,
// a holder of its own per call), works without a unit of work open, and
// settles the job in a second one. The lease only keeps a second replica
// from doing the same work meanwhile; the settling unit of work re-reads
// the job and does nothing if it is no longer pending, and the uploads'
// idempotency keys are derived from the job, so a holder paused past its
// lease finishes harmlessly. A crash costs no attempt: only a failed work
// counts against jobAttempts, and it is retried on the next Tick.
//
// This is not the outbox's claim (store.ClaimOutboxFunc), which keeps the
// claim in the entry and counts every claim as an attempt, retried with
// backoff until give_up_after, by a worker pool with lanes and a
// visibility of 2 minutes by default; a job is one slow piece of work, not
// a push.
func runJob(ctx context.Context, d Options, id string) error {
	holder := randomHolder()
	var j job
	held := false
	err := d.Store.Update(ctx, func(tx store.Tx) error {
		held = false
		if err := store.GetJSON(tx, bJobs, id, &j); errors.Is(err, store.ErrNotFound) {
			return tx.Delete(bJobDue, id)
		} else if err != nil {
			return err
		}
		if j.Status != jobPending {
			return tx.Delete(bJobDue, id)
		}
		if _, err := store.AcquireLease(tx, "office_job/"+id, holder, d.JobLease); errors.Is(err, store.ErrLeaseHeld) {
			return nil // another replica works on it
		} else if err != nil {
			return err
		}
		held = true
		return nil
	})
	if err != nil || !held {
		return err
	}
	now := d.Campaign.Now().In(location(d.Config))
	dir := filepath.Join(d.Config.Media.Dir, "exports", j.ID)
	ex, workErr := work(ctx, d, j, dir, now)
	if workErr != nil {
		d.Logger.Warn("job failed", "job", j.ID, "kind", j.Kind, "err", workErr)
	}
	return d.Store.Update(ctx, func(tx store.Tx) error {
		var cur job
		if err := store.GetJSON(tx, bJobs, id, &cur); err != nil {
			return err
		}
		if cur.Status != jobPending {
			return tx.Delete(bJobDue, id)
		}
		if workErr != nil {
			cur.Attempts++
			cur.Error = workErr.Error()
			if cur.Attempts < jobAttempts {
				if err := store.PutJSON(tx, bJobs, id, cur); err != nil {
					return err
				}
				return store.ReleaseLease(tx, "office_job/"+id, holder)
			}
			cur.Status = jobFailed
			if err := tellRequester(tx, cur, "failed", failedText(cur)); err != nil {
				return err
			}
		} else {
			if err := deliverJob(tx, d.Config, cur, ex, now); err != nil {
				return err
			}
			cur.Status = jobDone
		}
		if err := store.PutJSON(tx, bJobs, id, cur); err != nil {
			return err
		}
		if err := tx.Delete(bJobDue, id); err != nil {
			return err
		}
		return store.ReleaseLease(tx, "office_job/"+id, holder)
	})
}

func location(cfg *config.Config) *time.Location {
	if cfg.Location != nil {
		return cfg.Location
	}
	return time.Local
}

func randomHolder() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// work produces a job's files under dir.
func work(ctx context.Context, d Options, j job, dir string, now time.Time) (Export, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return Export{}, err
	}
	switch j.Kind {
	case JobExport:
		return d.Exporter.Export(ctx, d.Store, d.Config, dir, now)
	case JobChart:
		png, err := d.Charter.Chart(ctx, d.Store, d.Config, now)
		if err != nil {
			return Export{}, err
		}
		name := "进度图表-" + now.Format("20060102-1504") + ".png"
		path := filepath.Join(dir, "chart.png")
		if err := os.WriteFile(path, png, 0o640); err != nil {
			return Export{}, err
		}
		return Export{Files: []ExportFile{{Path: path, Name: name}}}, nil
	}
	return Export{}, fmt.Errorf("office: unknown job kind %q", j.Kind)
}

// deliverJob enqueues a finished job's pushes to every office chat.
func deliverJob(tx store.Tx, cfg *config.Config, j job, ex Export, now time.Time) error {
	source := "job:" + j.ID
	var send []ExportFile
	var tooBig []string
	if ex.Omitted != "" {
		tooBig = append(tooBig, ex.Omitted)
	}
	for _, f := range ex.Files {
		st, err := os.Stat(f.Path)
		if err != nil {
			return err
		}
		if j.Kind == JobExport && st.Size() > MaxUpload {
			tooBig = append(tooBig, fmt.Sprintf("%s（%.1f MB）", f.Name, float64(st.Size())/(1<<20)))
			continue
		}
		send = append(send, f)
	}
	by := j.ByName
	if by == "" {
		by = j.By
	}
	var head string
	switch j.Kind {
	case JobExport:
		head = fmt.Sprintf("【导出】%s汇总表（截至 %s，%s发起），共%d个文件：", cfg.Campaign.Name, zhfmt.Moment(now), by, len(send))
		for _, f := range send {
			head += "\n· " + f.Name
		}
		if len(tooBig) > 0 {
			head += "\n以下内容超过企业微信群文件20MB的上传上限，没有发送：" + strings.Join(tooBig, "、") +
				"\n请在服务器上用命令行导出：firebot export -config 配置文件 -o report.xlsx -photos photos.zip"
		}
	case JobChart:
		head = fmt.Sprintf("【进度图表】截至 %s（%s发起）", zhfmt.Moment(now), by)
	}
	for _, ch := range cfg.Access.OfficeChats {
		var mentions []string
		if j.Office && ch.ID == j.ChatID {
			mentions = []string{j.By}
		}
		if err := outbox.GroupText(tx, outbox.Key(source, "head", ch.ID), source, ch.ID, head, mentions); err != nil {
			return err
		}
		for i, f := range send {
			ref := &outbox.FileRef{Path: f.Path, Name: f.Name}
			msg := outbox.Message{WebhookFile: ref}
			if j.Kind == JobChart {
				msg = outbox.Message{WebhookImage: ref}
			}
			e, err := outbox.Entry(outbox.Key(source, fmt.Sprintf("file%d", i+1), ch.ID), source, outbox.ChannelWebhook, ch.ID, msg)
			if err != nil {
				return err
			}
			if _, err := store.EnqueueOutbox(tx, e); err != nil {
				return err
			}
		}
	}
	if !j.Office {
		what := "汇总表"
		if j.Kind == JobChart {
			what = "进度图表"
		}
		return tellRequester(tx, j, "done", what+"已生成，发到了街道工作群。")
	}
	return nil
}

// tellRequester sends the one who asked a note by application message,
// or in the office chat they asked in.
func tellRequester(tx store.Tx, j job, what, text string) error {
	key := "job:" + j.ID + ":" + what
	if j.Office {
		return GroupText(tx, key, "job:"+j.ID, j.ChatID, text, []string{j.By})
	}
	return UserText(tx, key, "job:"+j.ID, []string{j.By}, text)
}

func failedText(j job) string {
	if j.Kind == JobChart {
		return "进度图表生成失败，请稍后再发送“图表”重试。"
	}
	return "汇总表生成失败。请稍后再发送“导出”重试，或在服务器上用命令行导出：firebot export -config 配置文件 -o report.xlsx -photos photos.zip"
}

// omittedText says in Chinese what of an export did not fit in the chat.
func omittedText(err error) string {
	var big *workbook.TooLarge
	if !errors.As(err, &big) {
		return "照片"
	}
	mb := float64(big.Bytes) / 1e6
	switch big.What {
	case workbook.TooLargeWorkbook:
		return fmt.Sprintf("工作簿 %.1f MB", mb)
	case workbook.TooLargePhotos:
		return fmt.Sprintf("照片共 %.1f MB", mb)
	case workbook.TooManyParts:
		return fmt.Sprintf("照片需要超过%d个压缩包", big.Parts)
	case workbook.TooLargePhoto:
		return fmt.Sprintf("单张照片超过 %d MB：%s", big.Bytes/1_000_000, big.File)
	}
	return "照片"
}
