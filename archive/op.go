package archive

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"firebot/ops"
	"firebot/store"
)

// OpArchive is the admin operation behind "firebot archive": it archives
// the configured campaign, then runs Redact.
const OpArchive = "archive"

// Params are OpArchive's parameters.
type Params struct {
	Force bool   `json:"force,omitempty"`
	By    string `json:"by"`
}

// Op is the archive operation.
var Op = ops.Typed(OpArchive, runOp)

func runOp(ctx context.Context, env *ops.Env, p Params, out io.Writer) error {
	p.By = ops.CallerOr(ctx, p.By)
	now := env.Campaign.Now()
	sum, err := Archive(ctx, env.Store, env.Config, p.By, Options{Now: now, Force: p.Force})
	if err != nil {
		return refusalText(err, env.Config.Location)
	}
	red, err := Redact(ctx, env.Store, env.Config, now)
	if err != nil {
		return fmt.Errorf("活动 %s 已归档，但删除保留期已满的个人信息失败（服务每天会再试，也可以再运行 firebot archive）：%w", sum.CampaignID, err)
	}
	real := now
	if env.Real != nil {
		real = env.Real.Now()
	}
	gone, err := PruneExports(ctx, env.Store, env.Config, now, real)
	if err != nil {
		return fmt.Errorf("活动 %s 已归档，但清理过期的导出文件失败（服务每天会再试）：%w", sum.CampaignID, err)
	}
	text := sum.Format(env.Config.Location, red)
	if len(gone) > 0 {
		text += fmt.Sprintf("已删除 %d 个过期或含已删除个人信息的导出任务文件夹（%s）。\n", len(gone), ExportsDir(env.Config))
	}
	_, err = io.WriteString(out, text)
	return err
}

// Format renders the summary and the redactions that followed in Chinese.
func (s *Summary) Format(loc *time.Location, red []Redaction) string {
	if loc == nil {
		loc = time.UTC
	}
	const layout = "2006-01-02 15:04"
	var b strings.Builder
	name := "活动 " + s.CampaignID + " "
	if s.Name != "" {
		name = "活动 " + s.CampaignID + "（" + s.Name + "）"
	}
	fmt.Fprintf(&b, "%s已归档，记录从此只读。\n", name)
	fmt.Fprintf(&b, "  上报记录 %d 条，推荐记录 %d 条，广播 %d 条。\n",
		s.Counts[store.KindConfirmation], s.Counts[store.KindNomination], s.Counts[store.KindBroadcast])
	if s.Exported.IsZero() {
		b.WriteString("  注意：本期活动没有导出记录（-force）。归档后仍可以用 firebot export 导出。\n")
	} else {
		fmt.Fprintf(&b, "  报表已于 %s 导出。\n", s.Exported.In(loc).Format(layout))
	}
	if !s.RedactFrom.IsZero() {
		fmt.Fprintf(&b, "  被推荐人的手机号和事迹在最后截止时间（%s）满 %d 天后删除，即 %s 起。\n",
			s.LastDeadline.In(loc).Format(layout), int(s.RedactFrom.Sub(s.LastDeadline)/(24*time.Hour)), s.RedactFrom.In(loc).Format("2006-01-02"))
	}
	for _, r := range red {
		fmt.Fprintf(&b, "已删除活动 %s 中 %d 条推荐记录的手机号和事迹（保留期已满）。\n", r.CampaignID, r.Records)
	}
	b.WriteString("下一期活动：把配置文件中的 campaign.id 改成新的编号（例如 2024-119），更新日期和任务后重启服务，进度从零开始；单位名册和群绑定保留。\n")
	return b.String()
}

// refusalText says in Chinese why the command line could not archive.
func refusalText(err error, loc *time.Location) error {
	var r *Refusal
	if !errors.As(err, &r) {
		return err
	}
	if loc == nil {
		loc = time.UTC
	}
	at := r.At.In(loc).Format("2006-01-02 15:04")
	switch {
	case errors.Is(r.Reason, ErrAlreadyArchived):
		return fmt.Errorf("无法归档：活动 %s 已于 %s 归档", r.Campaign, at)
	case errors.Is(r.Reason, ErrNotExported):
		return fmt.Errorf("无法归档：活动 %s 还没有导出过报表。请先运行 firebot export 导出（归档后仍可导出），或加 -force 强制归档", r.Campaign)
	case errors.Is(r.Reason, ErrStillRunning):
		return fmt.Errorf("无法归档：活动 %s 的最后截止时间 %s 还没到，归档后各单位就不能再上报。确需提前归档请加 -force", r.Campaign, at)
	}
	return err
}
