// Package export is the office's 导出 (the December 1 workbook and the
// photos) and 图表 (the progress chart), both sent to the office chats.
// They are slow, so the command only records a job (office.EnqueueJob,
// keyed by the message) and answers at once; office.Tick builds the files
// and uploads them.
package export
