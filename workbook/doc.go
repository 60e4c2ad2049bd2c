// Package workbook makes the December 1 report the street office mails to the
// district: an Excel workbook of what every unit did, and its photos.
//
// The workbook (Write) has, in this order:
//
//	汇总        one line per unit in roster order, with its contact; three
//	           columns per task: 状态 (已完成, 未完成, 不适用, or — when the
//	           task is not asked of that kind of unit, with the 不适用 reason,
//	           later dates, 逾期 and records sent back below it), 日期 (an
//	           Excel date, red when late) and the task's key number (its
//	           first whole-number field, summed); done/applicable counts,
//	           share and nominations; a 合计 line
//	进度图表    the numbers by sector and by category, and the progress chart
//	           (package chart), the same PNG the 图表 command pushes
//	活动明细    one line per counted confirmation: unit, task, date, the
//	           task's fields (填报内容, a line "名称：值" each), place,
//	           description, reporter, 代录人, 材料提供人, time, 逾期, photo
//	           file names
//	志愿者推荐  one line per nomination, deeds in full, 逾期 and 不满N年 flags
//	未完成清单  one line per task a unit still owes (and per owed nomination),
//	           naming records sent back (退回) with their reason
//	推荐表-…    one sheet per nomination, laid out like the paper form, in
//	           record order (TJ-0001, TJ-0002…)
//
// People are named, not shown as WeCom accounts (names.go): the name on
// the record, the roster's, the one WeCom's user/get gave (LearnNames,
// cached in the store), the account last. Dates and times are Excel dates
// showing the campaign zone's wall clock; a record made after its task's
// deadline is late (逾期).
//
// Only active records count; withdrawn ones are left out, returned ones
// appear in the missing list. Progress comes from package ledger, exactly as
// the chat commands and the scheduler see it. Times are shown in the
// campaign's timezone.
//
// Memory stays flat: Write reads one consistent snapshot of the store (one
// View) one unit at a time, and every sheet is written with excelize's
// StreamWriter, which spills to a temporary file past 16 MB.
//
// A district's report (WriteDistrict, district.go) is one workbook across
// its streets: a 汇总 line per street (units, each task's units done and
// asked, tasks done and owed, nominations) and a 合计, every street's
// nominations in one 志愿者推荐 list with a 街道 column, and a 推荐表 per
// nomination. Record ids are per street (each street has its TJ-0001), so
// they are shown with the street: 解放碑街道 TJ-0001, and the form sheet
// 推荐表-解放碑-TJ-0001-张三. Streets are read one view each, with the
// street workbook's own code; one unreadable street fails the export.
//
// Photos (WritePhotos) go in a zip with a folder per unit and files named
// after their record, e.g. 学田湾社区/HD-0003-1.jpg, the names the 活动明细
// sheet lists. WritePhotoParts cuts them into several complete zips of at
// most a given size (a group robot uploads files of at most 20 MB);
// Build does all of it in memory for the chat command, and Chart draws the
// chart alone. The admin operations export, export-photos and export-chart
// (op.go) serve the command line "firebot export".
package workbook
