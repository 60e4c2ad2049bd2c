package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"firebot/clock"
	"firebot/config"
	"firebot/redact"
	"firebot/service"
	"firebot/store"
	"firebot/store/embedded"
	"firebot/store/redisstore"
)

func init() {
	register(&command{
		name:    "street",
		args:    "import -config 区级配置 -street 街道id -from 原单街道配置",
		summary: "把一个单街道部署的数据（记录、编号、对话、发件箱……）搬进区级部署的某个街道",
		run:     runStreet,
	})
}

func runStreet(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newCmdFlags("street", stderr, true)
	street := fs.String("street", "", "目标街道的 id（区级配置里的街道，必填）")
	from := fs.String("from", "", "原来单街道部署的配置文件（必填；用它的存储设置找到原数据）")
	pos, code, ok := fs.parseSub(args)
	if !ok {
		return code
	}
	if pos[0] != "import" {
		fmt.Fprintf(stderr, "firebot street：未知子命令 %q（可用：import）\n", pos[0])
		return 2
	}
	if len(pos) > 1 {
		return tooMany(stderr, "street import", pos[1:])
	}
	if *street == "" || *from == "" {
		fmt.Fprintln(stderr, "firebot street import：请写明 -street 目标街道 id 和 -from 原单街道配置文件，例如 -config district.yaml -street shangqingsi -from config.yaml")
		return 2
	}
	dist, ok := loadDistrict(*fs.config, stderr)
	if !ok {
		return 1
	}
	if dist.Single {
		fmt.Fprintf(stderr, "firebot street import：%s 是单街道配置；-config 要写区级配置（它列出各街道）\n", *fs.config)
		return 2
	}
	if _, found := dist.Street(*street); !found {
		fmt.Fprintf(stderr, "firebot street import：区级配置里没有街道 %q\n", *street)
		return 2
	}
	old, ok := loadConfig(*from, stderr)
	if !ok {
		return 1
	}
	stats, err := importStreet(ctx, dist.Shared, old, *street)
	if err != nil {
		fmt.Fprintf(stderr, "firebot street import：%s\n", redact.Error(err))
		return 1
	}
	fmt.Fprintf(stdout, "已把 %s 的数据导入街道 %s：%d 条数据、%d 条未过期的临时数据、%d 个计数器（记录编号从原来的位置继续）。\n"+
		"原数据没有改动；确认区级部署运行正常后可以删除。\n", *from, *street, stats.Durable, stats.Expiring, stats.Counters)
	return 0
}

// importStreet opens both stores (no service may be using them) and
// copies the single-street data of old into street of the district's
// store. Both must be of one kind: an embedded file into an embedded file
// (possibly the same one), or Redis into Redis.
func importStreet(ctx context.Context, shared, old *config.Config, street string) (store.ImportStats, error) {
	real := clock.Real{}
	dst, err := service.OpenStore(ctx, shared, real, nil)
	if err != nil {
		return store.ImportStats{}, fmt.Errorf("打开区级存储：%w", err)
	}
	defer dst.Close()
	if old.Store.Driver != shared.Store.Driver {
		return store.ImportStats{}, fmt.Errorf("原存储是 %s，区级存储是 %s：只能在同一种存储之间导入", old.Store.Driver, shared.Store.Driver)
	}
	if e, ok := dst.(*embedded.Store); ok && sameFile(old.Store.Path, shared.Store.Path) {
		return e.ImportStreet(ctx, e, street)
	}
	if _, err := os.Stat(old.Store.Path); old.Store.Driver != config.DriverRedis && err != nil {
		return store.ImportStats{}, fmt.Errorf("原数据文件 %s 不存在或读不到：%w", old.Store.Path, err)
	}
	src, err := service.OpenStore(ctx, old, real, nil)
	if err != nil {
		return store.ImportStats{}, fmt.Errorf("打开原存储：%w", err)
	}
	defer src.Close()
	var stats store.ImportStats
	switch d := dst.(type) {
	case *embedded.Store:
		stats, err = d.ImportStreet(ctx, src.(*embedded.Store), street)
	case *redisstore.Store:
		stats, err = d.ImportStreet(ctx, src.(*redisstore.Store), street)
	default:
		err = fmt.Errorf("存储 %T 不能导入街道", dst)
	}
	if errors.Is(err, store.ErrStreetNotEmpty) {
		return stats, fmt.Errorf("街道 %s 已经有数据，没有导入任何内容（导入只用于新加入区级部署的街道）", street)
	}
	return stats, err
}
