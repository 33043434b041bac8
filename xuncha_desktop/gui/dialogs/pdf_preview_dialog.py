"""Print preview of a PDF held in memory: pages, zoom, 打印 and 另存为 PDF; no file is written to preview.
What leaves the preview (pages sent to a printer, a saved file) goes through an OutputRecorder, which
writes its audit entry."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QBuffer, QIODevice, QMargins, QPointF, QRect, QSize, Qt
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QPageSize, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from xuncha_desktop.domain.errors import XunchaError
from xuncha_desktop.gui import export_folder, messages
from xuncha_desktop.gui.background import error_text
from xuncha_desktop.services.output.pdf_export import MissingChar

PDF_FILTER = "PDF 文件 (*.pdf)"
PRINT_DPI = 300  # pages are rasterised for the printer at most at this resolution
ZOOM_STEP = 1.25
ZOOM_RANGE = (0.25, 4.0)
# (label, zoom mode, factor) of the zoom box; the fixed factors are relative to 100 %.
ZOOMS: tuple[tuple[str, QPdfView.ZoomMode, float], ...] = (
    ("适合宽度", QPdfView.ZoomMode.FitToWidth, 1.0),
    ("整页", QPdfView.ZoomMode.FitInView, 1.0),
    ("50%", QPdfView.ZoomMode.Custom, 0.5),
    ("75%", QPdfView.ZoomMode.Custom, 0.75),
    ("100%", QPdfView.ZoomMode.Custom, 1.0),
    ("125%", QPdfView.ZoomMode.Custom, 1.25),
    ("150%", QPdfView.ZoomMode.Custom, 1.5),
    ("200%", QPdfView.ZoomMode.Custom, 2.0),
)
WARNING_STYLE = "color: #b00020;"
NOTE_STYLE = "color: #555555;"


class OutputRecorder(Protocol):
    """Audits what leaves the preview (the caller knows the workspace, the kind and how many records)."""

    def save(self, path: Path, data: bytes) -> None:
        """Write `data` to `path` atomically, together with its audit entry."""

    def printed(self, printer: str, file: str) -> None:
        """The audit entry of pages sent to `printer` (or printed into `file`)."""


def ask_printer(parent: QWidget | None, printer: QPrinter, pages: int) -> bool:
    """The system print dialog (printer, copies, page range); True when the user pressed 打印."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("打印")
    dialog.setMinMax(1, pages)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, True)
    return dialog.exec() == QDialog.DialogCode.Accepted


def font_text(fonts: Sequence[str], summary: str = "") -> str:
    """The fonts line under the preview: the short summary when given, else every role's line."""
    return "字体：" + (summary or "；".join(fonts) or "（未知）")


def missing_text(missing: Sequence[MissingChar]) -> str:
    """The characters no installed font has, each with its code point; empty when none is missing."""
    if not missing:
        return ""
    chars = "、".join(f"{m.char}（{m.code}）" for m in missing)
    return f"以下字符所有字体均缺少，已印为 □（复制文字时仍是原字），请核对：{chars}"


def with_pdf_suffix(path: Path) -> Path:
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


class PdfPreviewDialog(QDialog):
    """A rendered PDF shown from memory, with page navigation, zoom, 打印, 另存为 PDF and the fonts used."""

    def __init__(
        self,
        data: bytes,
        *,
        title: str,
        default_path: Path,
        fonts: Sequence[str] = (),
        font_summary: str = "",
        missing: Sequence[MissingChar] = (),
        recorder: OutputRecorder,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"打印预览 — {title}")
        self._title = title
        self._data = data
        self._recorder = recorder
        self._default_path = default_path
        self._buffer = QBuffer(self)
        self._buffer.setData(data)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setPageSpacing(12)
        self.view.setDocumentMargins(QMargins(16, 16, 16, 16))
        self.view.setStyleSheet("QPdfView { background: #7f7f7f; }")
        self._build(fonts, font_summary, missing)
        self._show_zoom(0)
        self._resize_to_screen()

    # -- layout ----------------------------------------------------------------------------------------

    def _build(self, fonts: Sequence[str], font_summary: str, missing: Sequence[MissingChar]) -> None:
        pages = self.page_count()
        self.previous_button = self._tool("上一页", "上一页（PgUp）", lambda: self._step(-1))
        self.next_button = self._tool("下一页", "下一页（PgDn）", lambda: self._step(1))
        self.page_spin = QSpinBox()
        self.page_spin.setRange(1, max(pages, 1))
        self.page_spin.setToolTip("跳到第几页")
        self.page_spin.valueChanged.connect(self._jump)
        self.pages_label = QLabel(f"/ 共 {pages} 页")
        self.zoom_out_button = self._tool("缩小", "缩小（Ctrl+-）", lambda: self._scale(1 / ZOOM_STEP))
        self.zoom_in_button = self._tool("放大", "放大（Ctrl++）", lambda: self._scale(ZOOM_STEP))
        self.zoom_box = QComboBox()
        self.zoom_box.addItems([label for label, _mode, _factor in ZOOMS])
        self.zoom_box.setToolTip("显示比例")
        self.zoom_box.currentIndexChanged.connect(self._show_zoom)
        bar = QHBoxLayout()
        pages_part: tuple[QWidget, ...] = (self.previous_button, self.page_spin, self.pages_label)
        zoom_part: tuple[QWidget, ...] = (self.zoom_out_button, self.zoom_box, self.zoom_in_button)
        for widget in (*pages_part, self.next_button):
            bar.addWidget(widget)
        bar.addSpacing(24)
        for widget in zoom_part:
            bar.addWidget(widget)
        bar.addStretch(1)

        self.font_label = self._note(font_text(fonts, font_summary), NOTE_STYLE)
        self.font_label.setToolTip("\n".join(fonts))
        self.missing_label = self._note(missing_text(missing), WARNING_STYLE)
        self.missing_label.setVisible(bool(missing))
        self.status_label = self._note("", NOTE_STYLE)
        self.status_label.setVisible(False)

        self.print_button = QPushButton("打印…")
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_document)
        self.save_button = QPushButton("另存为 PDF…")
        self.save_button.clicked.connect(self.save_as)
        self.close_button = QPushButton("关闭")
        self.close_button.clicked.connect(self.reject)
        for button in (self.print_button, self.save_button):
            button.setEnabled(pages > 0)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        for label in (self.font_label, self.missing_label, self.status_label):
            layout.addWidget(label)
        layout.addLayout(buttons)
        self.view.pageNavigator().currentPageChanged.connect(self._page_shown)
        self._shortcut(QKeySequence.StandardKey.Print, self.print_document)
        self._shortcut(QKeySequence.StandardKey.Save, self.save_as)
        self._shortcut(QKeySequence.StandardKey.ZoomIn, lambda: self._scale(ZOOM_STEP))
        self._shortcut(QKeySequence.StandardKey.ZoomOut, lambda: self._scale(1 / ZOOM_STEP))
        self._page_shown(0)

    def _tool(self, text: str, tip: str, slot: Callable[[], object]) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    def _note(self, text: str, style: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setStyleSheet(style)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _shortcut(self, keys: QKeySequence.StandardKey, slot: Callable[[], object]) -> None:
        QShortcut(QKeySequence(keys), self, slot)

    def _resize_to_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        room = screen.availableGeometry().size() if screen is not None else QSize(1280, 1024)
        self.resize(min(900, int(room.width() * 0.9)), min(1000, int(room.height() * 0.9)))

    # -- pages and zoom --------------------------------------------------------------------------------

    def page_count(self) -> int:
        return self.document.pageCount() if self.document.status() == QPdfDocument.Status.Ready else 0

    def current_page(self) -> int:
        """The page shown, counted from 1."""
        return self.view.pageNavigator().currentPage() + 1

    def go_to_page(self, number: int) -> None:
        """Scroll to page `number` (from 1), clamped to the document."""
        self.page_spin.setValue(max(1, min(number, self.page_count())))

    def _jump(self, number: int) -> None:
        navigator = self.view.pageNavigator()
        if 0 < number <= self.page_count() and navigator.currentPage() != number - 1:
            navigator.jump(number - 1, QPointF(), navigator.currentZoom())

    def _step(self, delta: int) -> None:
        self.go_to_page(self.current_page() + delta)

    def _page_shown(self, index: int) -> None:
        self.page_spin.blockSignals(True)
        self.page_spin.setValue(index + 1)
        self.page_spin.blockSignals(False)
        self.previous_button.setEnabled(index > 0)
        self.next_button.setEnabled(index + 1 < self.page_count())

    def _show_zoom(self, index: int) -> None:
        _label, mode, factor = ZOOMS[index]
        self.view.setZoomMode(mode)
        if mode == QPdfView.ZoomMode.Custom:
            self.view.setZoomFactor(factor)

    def _scale(self, step: float) -> None:
        """放大/缩小 from whatever is shown now (also from 适合宽度), within ZOOM_RANGE."""
        current = self._effective_zoom()
        low, high = ZOOM_RANGE
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(low, min(high, current * step)))
        self.zoom_box.blockSignals(True)
        self.zoom_box.setCurrentIndex(-1)
        self.zoom_box.blockSignals(False)
        self.zoom_box.setPlaceholderText(f"{round(self.view.zoomFactor() * 100)}%")

    def _effective_zoom(self) -> float:
        if self.view.zoomMode() == QPdfView.ZoomMode.Custom or self.page_count() == 0:
            return self.view.zoomFactor()
        page = self.document.pagePointSize(max(self.current_page() - 1, 0))
        room = self.view.viewport().size()
        pixels_per_point = self.logicalDpiX() / 72.0
        width = room.width() / (page.width() * pixels_per_point)
        if self.view.zoomMode() == QPdfView.ZoomMode.FitInView:
            return min(width, room.height() / (page.height() * pixels_per_point))
        return width

    def zoom_factor(self) -> float:
        return self._effective_zoom()

    # -- output --------------------------------------------------------------------------------------------

    def print_document(self) -> int:
        """打印…: the system print dialog, then the chosen pages; returns the number of pages sent."""
        if self.page_count() == 0:
            return 0
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self._title)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setFullPage(True)  # the PDF carries the official margins itself
        if not ask_printer(self, printer, self.page_count()):
            return 0
        printed = self.print_to(printer)
        if printed:
            where = printer.outputFileName() or printer.printerName() or "打印机"
            self._status(f"已发送 {printed} 页到“{where}”。")
            try:
                self._recorder.printed(printer.printerName(), printer.outputFileName())
            except Exception as error:  # printed all the same: say that the log lacks it
                messages.show_error(self, "打印", f"已打印，但未能写入审计日志：{error_text(error)}")
        return printed

    def print_to(self, printer: QPrinter) -> int:
        """Render the chosen page range onto `printer` (pages fitted to the paper); returns pages printed."""
        pages = self._pages_to_print(printer)
        copies = 1 if printer.supportsMultipleCopies() else max(printer.copyCount(), 1)
        painter = QPainter()
        if not painter.begin(printer):
            messages.show_error(self, "打印", f"无法开始打印：打印机“{printer.printerName()}”不可用。")
            return 0
        printed = 0
        try:
            for _copy in range(copies):
                for page in pages:
                    if printed:
                        printer.newPage()
                    self._paint_page(painter, printer, page)
                    printed += 1
        finally:
            painter.end()
        return printed

    def _pages_to_print(self, printer: QPrinter) -> range:
        count = self.page_count()
        if printer.printRange() != QPrinter.PrintRange.PageRange or printer.fromPage() == 0:
            return range(count)
        first = max(printer.fromPage(), 1) - 1
        last = min(printer.toPage() or count, count)
        return range(first, last)

    def _paint_page(self, painter: QPainter, printer: QPrinter, page: int) -> None:
        area = painter.viewport()
        points = self.document.pagePointSize(page)
        scale = min(area.width() / points.width(), area.height() / points.height())
        width, height = int(points.width() * scale), int(points.height() * scale)
        target = QRect(
            area.x() + (area.width() - width) // 2, area.y() + (area.height() - height) // 2, width, height
        )
        dpi = min(printer.resolution(), PRINT_DPI)
        size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
        painter.drawImage(target, self.document.render(page, size))

    def save_as(self) -> Path | None:
        """另存为 PDF…: the same bytes as previewed, written atomically to a file the user chooses."""
        chosen = messages.choose_save_file(self, "另存为 PDF", self._default_path, PDF_FILTER)
        if chosen is None:
            return None
        path = with_pdf_suffix(chosen)
        if not export_folder.accept(self, path, encrypted=False):
            return None
        try:
            self._recorder.save(path, self._data)
        except XunchaError as error:  # the file held by another program, a full disk, a missing folder
            messages.show_error(self, "另存为 PDF", str(error))
            return None
        except OSError as error:
            messages.show_error(self, "另存为 PDF", f"无法保存“{path}”：{error.strerror or error}")
            return None
        except Exception as error:  # e.g. the audit entry could not be written: no file either
            messages.show_error(self, "另存为 PDF", f"无法保存“{path}”：{error_text(error)}")
            return None
        self._default_path = path
        self._status(f"已保存：{path}")
        return path

    def _status(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.setVisible(True)

    # -- closing ---------------------------------------------------------------------------------------

    def done(self, result: int) -> None:
        self._release()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._release()
        super().closeEvent(event)

    def _release(self) -> None:
        """Drop the rendered document: nothing of it stays in Qt's buffers once the preview is closed."""
        self.document.close()
        self._buffer.close()
        self._buffer.setData(b"")
        self._data = b""
