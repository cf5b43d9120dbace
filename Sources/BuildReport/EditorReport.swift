import ContentGraph
import ContentLinting
import ContentModel
import Diagnostics

/// A self-contained HTML page for editors: per page its reading level, review status,
/// size, links in and out, and warnings, in a table sortable by any column. It is
/// written where the editor asks (`patella check --report FILE`), never into the
/// published site.
public enum EditorReport {
    struct Row {
        var page: Page
        var reading: Readability
        var review: String
        var reviewSort: String
        var overdue: Bool
        var inbound: Int
        var outbound: Int
        var messages: [Diagnostic]
    }

    public static func html(graph: ContentGraph, diagnostics: [Diagnostic], today: CalendarDate) -> String {
        let byFile = Dictionary(grouping: diagnostics, by: \.location.file)
        let rows = graph.allPages.map { page -> Row in
            var review = "Awaiting clinical review", reviewSort = "0", overdue = false
            if let reviewed = page.metadata.reviewed, let due = ContentLinter.reviewDue(page, settings: graph.settings) {
                overdue = due < today
                review = "Reviewed \(reviewed.on) by \(reviewed.by); due \(due)" + (overdue ? " (overdue)" : "")
                reviewSort = overdue ? "1 \(due)" : "2 \(due)"
            }
            let outbound = Set((graph.linksTo[page.id] ?? []) + (graph.relations[page.id]?.values.flatMap { $0 } ?? [])).count
            return Row(page: page, reading: ContentLinter.readability(of: page), review: review, reviewSort: reviewSort,
                       overdue: overdue, inbound: graph.linkedFrom[page.id]?.count ?? 0, outbound: outbound,
                       messages: byFile[page.file.displayPath] ?? [])
        }
        let maxGrade = graph.settings.readingGradeMax
        var out = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Build report: \(escape(graph.settings.title))</title>
        <style>
        body{font:16px/1.5 system-ui,sans-serif;margin:1.5rem;color:#1c2833;background:#fff}
        table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #c9d3dc;padding:.4rem .5rem;text-align:left;vertical-align:top}
        th button{font:inherit;font-weight:700;background:none;border:0;padding:0;cursor:pointer;color:#0b4f8a;text-decoration:underline}
        td.num{text-align:right;font-variant-numeric:tabular-nums}.bad{color:#8a1c00;font-weight:700}
        ul{margin:0;padding-left:1.1rem}summary{cursor:pointer;color:#0b4f8a}
        button:focus-visible,summary:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}
        </style>
        </head>
        <body>
        <h1>Build report: \(escape(graph.settings.title))</h1>
        <p>\(rows.count) pages, \(DiagnosticPrinter.tally(diagnostics)). Reading grade aims for \(format(maxGrade)) or lower
        (Flesch–Kincaid; SMOG \(format(maxGrade + 2))). Judged on \(today). Select a column heading to sort.</p>
        <table id="report">
        <thead><tr>
        """
        let columns = ["Page", "Type", "Reading grade", "SMOG", "Words", "Review", "Links in", "Links out", "Warnings"]
        for (index, column) in columns.enumerated() {
            out += "<th scope=\"col\" aria-sort=\"none\"><button type=\"button\" data-column=\"\(index)\">\(column)</button></th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for row in rows {
            let grade = row.reading.fleschKincaidGrade, smog = row.reading.smogGrade
            let warnings = row.messages.isEmpty ? "" : "<details><summary>\(row.messages.count)</summary><ul>"
                + row.messages.map { "<li>\(escape("\($0.location.line.map { "line \($0): " } ?? "")\($0.message)"))</li>" }.joined()
                + "</ul></details>"
            out += "<tr>"
            out += "<td data-sort=\"\(escape(row.page.title.lowercased()))\"><strong>\(escape(row.page.title))</strong><br><code>\(escape(row.page.file.displayPath))</code></td>"
            out += "<td>\(escape(row.page.type.label))</td>"
            out += "<td class=\"num\(grade > maxGrade ? " bad" : "")\" data-sort=\"\(grade)\">\(format(grade))</td>"
            out += "<td class=\"num\(smog > maxGrade + 2 ? " bad" : "")\" data-sort=\"\(smog)\">\(format(smog))</td>"
            out += "<td class=\"num\" data-sort=\"\(row.reading.words)\">\(row.reading.words)</td>"
            out += "<td data-sort=\"\(row.reviewSort)\"\(row.overdue ? " class=\"bad\"" : "")>\(escape(row.review))</td>"
            out += "<td class=\"num\(row.inbound == 0 ? " bad" : "")\" data-sort=\"\(row.inbound)\">\(row.inbound)</td>"
            out += "<td class=\"num\" data-sort=\"\(row.outbound)\">\(row.outbound)</td>"
            out += "<td class=\"num\" data-sort=\"\(row.messages.count)\">\(warnings)</td>"
            out += "</tr>\n"
        }
        out += """
        </tbody>
        </table>
        <script>
        // Sort by a column: numbers numerically, text alphabetically; a second click reverses.
        document.querySelectorAll('#report th button').forEach(function (button) {
          button.addEventListener('click', function () {
            var th = button.parentElement, column = +button.dataset.column;
            var ascending = th.getAttribute('aria-sort') !== 'ascending';
            document.querySelectorAll('#report th').forEach(function (h) { h.setAttribute('aria-sort', 'none'); });
            th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
            var body = document.querySelector('#report tbody');
            var rows = Array.prototype.slice.call(body.rows);
            rows.sort(function (a, b) {
              var x = a.cells[column].dataset.sort || a.cells[column].textContent;
              var y = b.cells[column].dataset.sort || b.cells[column].textContent;
              var d = (isNaN(x) || isNaN(y)) ? x.localeCompare(y) : x - y;
              return ascending ? d : -d;
            });
            rows.forEach(function (r) { body.appendChild(r); });
          });
        });
        </script>
        </body>
        </html>

        """
        return out
    }

    static func escape(_ text: String) -> String { text.escapedForMarkup() }

    static func format(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }
}
