package export

import (
	"firebot/bot"
	"firebot/handlers"
	"firebot/office"
)

// Command names.
const (
	CmdExport = "导出"
	CmdChart  = "图表"
)

// Commands are 导出 and 图表.
func Commands(t *office.Tools) []handlers.Command {
	return []handlers.Command{
		t.Office(handlers.Command{Name: CmdExport, Usage: "导出", Words: []string{"导出表格", "export"},
			Help: "生成12月1日报送用的汇总表，发到街道工作群", Run: runExport}, office.Private),
		t.Office(handlers.Command{Name: CmdChart, Usage: "图表", Words: []string{"进度图", "chart"},
			Help: "生成进度图表，发到街道工作群", Run: runChart}, office.Private),
	}
}

// runExport is 导出: it records the job; office.Tick builds and uploads.
func runExport(c *handlers.Context) (bot.Reply, error) {
	if len(c.Config.Access.OfficeChats) == 0 {
		return c.Reply("没有配置街道工作群（access.office_chats），无法在群里上传汇总表。请在服务器上用命令行导出：firebot export -config 配置文件 -o report.xlsx -photos photos.zip"), nil
	}
	return office.EnqueueJob(c, office.JobExport, "正在生成12月1日报送用的汇总表和照片压缩包，完成后发到街道工作群，请稍候。")
}

// runChart is 图表: it records the job; office.Tick draws and uploads.
func runChart(c *handlers.Context) (bot.Reply, error) {
	if len(c.Config.Access.OfficeChats) == 0 {
		return c.Reply("没有配置街道工作群（access.office_chats），图表无处发送。"), nil
	}
	return office.EnqueueJob(c, office.JobChart, "正在生成进度图表，完成后发到街道工作群，请稍候。")
}
