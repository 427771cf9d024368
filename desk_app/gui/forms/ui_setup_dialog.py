# Generated from ui/setup_dialog.ui by scripts/compile_ui.sh: do not edit; change the form and run the script.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'setup_dialog.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QCheckBox, QComboBox,
    QDialog, QDialogButtonBox, QGridLayout, QHBoxLayout,
    QLabel, QLineEdit, QPushButton, QSizePolicy,
    QSpacerItem, QSpinBox, QTimeEdit, QVBoxLayout,
    QWidget)

class Ui_SetupDialog(object):
    def setupUi(self, setupDialog):
        if not setupDialog.objectName():
            setupDialog.setObjectName(u"setupDialog")
        setupDialog.resize(860, 520)
        self.dialogLayout = QVBoxLayout(setupDialog)
        self.dialogLayout.setObjectName(u"dialogLayout")
        self.intro = QLabel(setupDialog)
        self.intro.setObjectName(u"intro")
        self.intro.setWordWrap(True)

        self.dialogLayout.addWidget(self.intro)

        self.first_run = QLabel(setupDialog)
        self.first_run.setObjectName(u"first_run")
        self.first_run.setWordWrap(True)

        self.dialogLayout.addWidget(self.first_run)

        self.fields = QGridLayout()
        self.fields.setObjectName(u"fields")
        self.label_commune = QLabel(setupDialog)
        self.label_commune.setObjectName(u"label_commune")

        self.fields.addWidget(self.label_commune, 0, 0, 1, 1)

        self.commune = QLineEdit(setupDialog)
        self.commune.setObjectName(u"commune")

        self.fields.addWidget(self.commune, 0, 1, 1, 1)

        self.error_commune = QLabel(setupDialog)
        self.error_commune.setObjectName(u"error_commune")
        self.error_commune.setMinimumSize(QSize(240, 0))
        self.error_commune.setWordWrap(True)

        self.fields.addWidget(self.error_commune, 0, 2, 1, 1)

        self.label_authority = QLabel(setupDialog)
        self.label_authority.setObjectName(u"label_authority")

        self.fields.addWidget(self.label_authority, 1, 0, 1, 1)

        self.authority = QLineEdit(setupDialog)
        self.authority.setObjectName(u"authority")

        self.fields.addWidget(self.authority, 1, 1, 1, 1)

        self.error_authority = QLabel(setupDialog)
        self.error_authority.setObjectName(u"error_authority")
        self.error_authority.setMinimumSize(QSize(240, 0))
        self.error_authority.setWordWrap(True)

        self.fields.addWidget(self.error_authority, 1, 2, 1, 1)

        self.label_unit_name = QLabel(setupDialog)
        self.label_unit_name.setObjectName(u"label_unit_name")

        self.fields.addWidget(self.label_unit_name, 2, 0, 1, 1)

        self.unit_name = QLineEdit(setupDialog)
        self.unit_name.setObjectName(u"unit_name")

        self.fields.addWidget(self.unit_name, 2, 1, 1, 1)

        self.error_unit_name = QLabel(setupDialog)
        self.error_unit_name.setObjectName(u"error_unit_name")
        self.error_unit_name.setMinimumSize(QSize(240, 0))
        self.error_unit_name.setWordWrap(True)

        self.fields.addWidget(self.error_unit_name, 2, 2, 1, 1)

        self.label_unit_code = QLabel(setupDialog)
        self.label_unit_code.setObjectName(u"label_unit_code")

        self.fields.addWidget(self.label_unit_code, 3, 0, 1, 1)

        self.unit_code = QLineEdit(setupDialog)
        self.unit_code.setObjectName(u"unit_code")
        self.unit_code.setPlaceholderText(u"000.21.33.H49")

        self.fields.addWidget(self.unit_code, 3, 1, 1, 1)

        self.error_unit_code = QLabel(setupDialog)
        self.error_unit_code.setObjectName(u"error_unit_code")
        self.error_unit_code.setMinimumSize(QSize(240, 0))
        self.error_unit_code.setWordWrap(True)

        self.fields.addWidget(self.error_unit_code, 3, 2, 1, 1)

        self.label_desk_no = QLabel(setupDialog)
        self.label_desk_no.setObjectName(u"label_desk_no")

        self.fields.addWidget(self.label_desk_no, 4, 0, 1, 1)

        self.desk_no = QSpinBox(setupDialog)
        self.desk_no.setObjectName(u"desk_no")
        self.desk_no.setMinimum(1)
        self.desk_no.setMaximum(10)

        self.fields.addWidget(self.desk_no, 4, 1, 1, 1)

        self.error_desk_no = QLabel(setupDialog)
        self.error_desk_no.setObjectName(u"error_desk_no")
        self.error_desk_no.setMinimumSize(QSize(240, 0))
        self.error_desk_no.setWordWrap(True)

        self.fields.addWidget(self.error_desk_no, 4, 2, 1, 1)

        self.label_place = QLabel(setupDialog)
        self.label_place.setObjectName(u"label_place")

        self.fields.addWidget(self.label_place, 5, 0, 1, 1)

        self.place = QLineEdit(setupDialog)
        self.place.setObjectName(u"place")

        self.fields.addWidget(self.place, 5, 1, 1, 1)

        self.error_place = QLabel(setupDialog)
        self.error_place.setObjectName(u"error_place")
        self.error_place.setMinimumSize(QSize(240, 0))
        self.error_place.setWordWrap(True)

        self.fields.addWidget(self.error_place, 5, 2, 1, 1)

        self.label_sessions = QLabel(setupDialog)
        self.label_sessions.setObjectName(u"label_sessions")

        self.fields.addWidget(self.label_sessions, 6, 0, 1, 1)

        self.sessions = QHBoxLayout()
        self.sessions.setObjectName(u"sessions")
        self.label_morning = QLabel(setupDialog)
        self.label_morning.setObjectName(u"label_morning")

        self.sessions.addWidget(self.label_morning)

        self.morning_start = QTimeEdit(setupDialog)
        self.morning_start.setObjectName(u"morning_start")
        self.morning_start.setDisplayFormat(u"HH:mm")
        self.morning_start.setTime(QTime(7, 0, 0))

        self.sessions.addWidget(self.morning_start)

        self.label_morning_to = QLabel(setupDialog)
        self.label_morning_to.setObjectName(u"label_morning_to")

        self.sessions.addWidget(self.label_morning_to)

        self.morning_end = QTimeEdit(setupDialog)
        self.morning_end.setObjectName(u"morning_end")
        self.morning_end.setDisplayFormat(u"HH:mm")
        self.morning_end.setTime(QTime(11, 30, 0))

        self.sessions.addWidget(self.morning_end)

        self.label_afternoon = QLabel(setupDialog)
        self.label_afternoon.setObjectName(u"label_afternoon")

        self.sessions.addWidget(self.label_afternoon)

        self.afternoon_start = QTimeEdit(setupDialog)
        self.afternoon_start.setObjectName(u"afternoon_start")
        self.afternoon_start.setDisplayFormat(u"HH:mm")
        self.afternoon_start.setTime(QTime(13, 30, 0))

        self.sessions.addWidget(self.afternoon_start)

        self.label_afternoon_to = QLabel(setupDialog)
        self.label_afternoon_to.setObjectName(u"label_afternoon_to")

        self.sessions.addWidget(self.label_afternoon_to)

        self.afternoon_end = QTimeEdit(setupDialog)
        self.afternoon_end.setObjectName(u"afternoon_end")
        self.afternoon_end.setDisplayFormat(u"HH:mm")
        self.afternoon_end.setTime(QTime(17, 0, 0))

        self.sessions.addWidget(self.afternoon_end)

        self.sessionsStretch = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.sessions.addItem(self.sessionsStretch)


        self.fields.addLayout(self.sessions, 6, 1, 1, 1)

        self.error_sessions = QLabel(setupDialog)
        self.error_sessions.setObjectName(u"error_sessions")
        self.error_sessions.setMinimumSize(QSize(240, 0))
        self.error_sessions.setWordWrap(True)

        self.fields.addWidget(self.error_sessions, 6, 2, 1, 1)

        self.saturday = QCheckBox(setupDialog)
        self.saturday.setObjectName(u"saturday")

        self.fields.addWidget(self.saturday, 7, 1, 1, 1)

        self.error_saturday = QLabel(setupDialog)
        self.error_saturday.setObjectName(u"error_saturday")
        self.error_saturday.setMinimumSize(QSize(240, 0))
        self.error_saturday.setWordWrap(True)

        self.fields.addWidget(self.error_saturday, 7, 2, 1, 1)

        self.label_paper = QLabel(setupDialog)
        self.label_paper.setObjectName(u"label_paper")

        self.fields.addWidget(self.label_paper, 8, 0, 1, 1)

        self.paper = QComboBox(setupDialog)
        self.paper.setObjectName(u"paper")

        self.fields.addWidget(self.paper, 8, 1, 1, 1)

        self.error_paper = QLabel(setupDialog)
        self.error_paper.setObjectName(u"error_paper")
        self.error_paper.setMinimumSize(QSize(240, 0))
        self.error_paper.setWordWrap(True)

        self.fields.addWidget(self.error_paper, 8, 2, 1, 1)

        self.label_printer = QLabel(setupDialog)
        self.label_printer.setObjectName(u"label_printer")

        self.fields.addWidget(self.label_printer, 9, 0, 1, 1)

        self.printer = QComboBox(setupDialog)
        self.printer.setObjectName(u"printer")

        self.fields.addWidget(self.printer, 9, 1, 1, 1)

        self.error_printer = QLabel(setupDialog)
        self.error_printer.setObjectName(u"error_printer")
        self.error_printer.setMinimumSize(QSize(240, 0))
        self.error_printer.setWordWrap(True)

        self.fields.addWidget(self.error_printer, 9, 2, 1, 1)


        self.dialogLayout.addLayout(self.fields)

        self.status = QLabel(setupDialog)
        self.status.setObjectName(u"status")
        self.status.setWordWrap(True)

        self.dialogLayout.addWidget(self.status)

        self.buttonRow = QHBoxLayout()
        self.buttonRow.setObjectName(u"buttonRow")
        self.demo = QPushButton(setupDialog)
        self.demo.setObjectName(u"demo")
        self.demo.setAutoDefault(False)

        self.buttonRow.addWidget(self.demo)

        self.buttons = QDialogButtonBox(setupDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setOrientation(Qt.Orientation.Horizontal)
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.buttonRow.addWidget(self.buttons)


        self.dialogLayout.addLayout(self.buttonRow)

#if QT_CONFIG(shortcut)
        self.label_commune.setBuddy(self.commune)
        self.label_authority.setBuddy(self.authority)
        self.label_unit_name.setBuddy(self.unit_name)
        self.label_unit_code.setBuddy(self.unit_code)
        self.label_desk_no.setBuddy(self.desk_no)
        self.label_place.setBuddy(self.place)
        self.label_sessions.setBuddy(self.morning_start)
        self.label_paper.setBuddy(self.paper)
        self.label_printer.setBuddy(self.printer)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.commune, self.authority)
        QWidget.setTabOrder(self.authority, self.unit_name)
        QWidget.setTabOrder(self.unit_name, self.unit_code)
        QWidget.setTabOrder(self.unit_code, self.desk_no)
        QWidget.setTabOrder(self.desk_no, self.place)
        QWidget.setTabOrder(self.place, self.morning_start)
        QWidget.setTabOrder(self.morning_start, self.morning_end)
        QWidget.setTabOrder(self.morning_end, self.afternoon_start)
        QWidget.setTabOrder(self.afternoon_start, self.afternoon_end)
        QWidget.setTabOrder(self.afternoon_end, self.saturday)
        QWidget.setTabOrder(self.saturday, self.paper)
        QWidget.setTabOrder(self.paper, self.printer)
        QWidget.setTabOrder(self.printer, self.buttons)
        QWidget.setTabOrder(self.buttons, self.demo)

        self.retranslateUi(setupDialog)
    # setupUi

    def retranslateUi(self, setupDialog):
        setupDialog.setWindowTitle(QCoreApplication.translate("SetupDialog", u"C\u00e0i \u0111\u1eb7t qu\u1ea7y M\u1ed9t c\u1eeda", None))
        self.intro.setText(QCoreApplication.translate("SetupDialog", u"Nh\u1eadp th\u00f4ng tin c\u1ee7a \u0111\u01a1n v\u1ecb. C\u00e1c th\u00f4ng tin n\u00e0y \u0111\u01b0\u1ee3c in tr\u00ean gi\u1ea5y ti\u1ebfp nh\u1eadn v\u00e0 d\u00f9ng \u0111\u1ec3 c\u1ea5p m\u00e3 h\u1ed3 s\u01a1. M\u1ee5c c\u00f3 d\u1ea5u * l\u00e0 b\u1eaft bu\u1ed9c.", None))
        self.first_run.setText(QCoreApplication.translate("SetupDialog", u"L\u1ea7n \u0111\u1ea7u m\u1edf ph\u1ea7n m\u1ec1m tr\u00ean m\u00e1y n\u00e0y. \u0110\u1ec3 d\u00f9ng th\u1eadt, h\u00e3y nh\u1eadp th\u00f4ng tin c\u1ee7a x\u00e3 r\u1ed3i b\u1ea5m \u00abL\u01b0u c\u00e0i \u0111\u1eb7t\u00bb. Ch\u1ec9 mu\u1ed1n xem th\u1eed? Nh\u1ea5n Alt+D: m\u1ed9t x\u00e3 m\u1eabu t\u1ea1m th\u1eddi v\u1edbi d\u1eef li\u1ec7u gi\u1ea3, kh\u00f4ng \u0111\u1ee5ng t\u1edbi d\u1eef li\u1ec7u th\u1eadt.", None))
        self.label_commune.setText(QCoreApplication.translate("SetupDialog", u"&T\u00ean x\u00e3, ph\u01b0\u1eddng *", None))
        self.commune.setPlaceholderText(QCoreApplication.translate("SetupDialog", u"X\u00e3 T\u00e2n Ph\u00fa", None))
        self.label_authority.setText(QCoreApplication.translate("SetupDialog", u"&C\u01a1 quan ch\u1ee7 qu\u1ea3n *", None))
        self.authority.setPlaceholderText(QCoreApplication.translate("SetupDialog", u"\u1ee6y ban nh\u00e2n d\u00e2n x\u00e3 T\u00e2n Ph\u00fa", None))
        self.label_unit_name.setText(QCoreApplication.translate("SetupDialog", u"T\u00ean &b\u1ed9 ph\u1eadn", None))
        self.unit_name.setPlaceholderText(QCoreApplication.translate("SetupDialog", u"B\u1ed8 PH\u1eacN TI\u1ebeP NH\u1eacN V\u00c0 TR\u1ea2 K\u1ebeT QU\u1ea2", None))
        self.label_unit_code.setText(QCoreApplication.translate("SetupDialog", u"&M\u00e3 \u0111\u01a1n v\u1ecb *", None))
        self.label_desk_no.setText(QCoreApplication.translate("SetupDialog", u"S\u1ed1 &qu\u1ea7y (1\u201310) *", None))
        self.label_place.setText(QCoreApplication.translate("SetupDialog", u"\u0110\u1ecb&a danh tr\u00ean gi\u1ea5y t\u1edd", None))
        self.place.setPlaceholderText(QCoreApplication.translate("SetupDialog", u"(m\u1eb7c \u0111\u1ecbnh: t\u00ean x\u00e3)", None))
        self.label_sessions.setText(QCoreApplication.translate("SetupDialog", u"&Gi\u1edd l\u00e0m vi\u1ec7c", None))
        self.label_morning.setText(QCoreApplication.translate("SetupDialog", u"S\u00e1ng", None))
        self.label_morning_to.setText(QCoreApplication.translate("SetupDialog", u"\u0111\u1ebfn", None))
        self.label_afternoon.setText(QCoreApplication.translate("SetupDialog", u"  Chi\u1ec1u", None))
        self.label_afternoon_to.setText(QCoreApplication.translate("SetupDialog", u"\u0111\u1ebfn", None))
        self.saturday.setText(QCoreApplication.translate("SetupDialog", u"L\u00e0m vi\u1ec7c s\u00e1ng th\u1ee9 B\u1ea3y (ti\u1ebfp nh\u1eadn v\u00e0 tr\u1ea3 k\u1ebft qu\u1ea3)", None))
        self.label_paper.setText(QCoreApplication.translate("SetupDialog", u"&Kh\u1ed5 gi\u1ea5y", None))
        self.label_printer.setText(QCoreApplication.translate("SetupDialog", u"M\u00e1y &in", None))
        self.demo.setText(QCoreApplication.translate("SetupDialog", u"&D\u00f9ng th\u1eed v\u1edbi d\u1eef li\u1ec7u m\u1eabu  [Alt+D]", None))
#if QT_CONFIG(tooltip)
        self.demo.setToolTip(QCoreApplication.translate("SetupDialog", u"M\u1edf m\u1ed9t x\u00e3 m\u1eabu t\u1ea1m th\u1eddi v\u1edbi d\u1eef li\u1ec7u gi\u1ea3 \u0111\u1ec3 t\u1eadp s\u1eed d\u1ee5ng; d\u1eef li\u1ec7u th\u1eadt kh\u00f4ng b\u1ecb \u0111\u1ee5ng t\u1edbi.", None))
#endif // QT_CONFIG(tooltip)
    # retranslateUi

