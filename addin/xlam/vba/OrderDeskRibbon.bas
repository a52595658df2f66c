Attribute VB_Name = "OrderDeskRibbon"
' Ribbon callbacks of the OrderDesk tab (customUI.xml).
' Every button calls OrderDeskAction, which hands the button id to Python
' (addin.ribbon.run): a new button needs XML and a Python function, no VBA.
' Texts come from ODLabels, generated at build time from the message catalogue.
Option Explicit

Private mRibbon As IRibbonUI
Private mEvents As ODAppEvents

Public Sub OrderDeskRibbonLoad(ribbon As IRibbonUI)
    Set mRibbon = ribbon
    Set mEvents = New ODAppEvents
    Set mEvents.App = Application
End Sub

' Re-reads every text, e.g. after OrderDesk_Lang changed (Application.Run from Python).
Public Sub OrderDeskRefreshRibbon()
    If Not mRibbon Is Nothing Then mRibbon.Invalidate
End Sub

Public Sub OrderDeskAction(control As IRibbonControl)
    If ActiveWorkbook Is Nothing Then
        MsgBox ODText("msg.no_workbook", ODLang()), vbExclamation, "OrderDesk"
        Exit Sub
    End If
    RunPython "import addin.ribbon; addin.ribbon.run('" & control.Id & "')"
End Sub

Public Sub OrderDeskGetLabel(control As IRibbonControl, ByRef returnedVal)
    returnedVal = ODText(control.Id & ".label", ODLang())
End Sub

Public Sub OrderDeskGetScreentip(control As IRibbonControl, ByRef returnedVal)
    returnedVal = ODText(control.Id & ".screentip", ODLang())
End Sub

Public Sub OrderDeskGetSupertip(control As IRibbonControl, ByRef returnedVal)
    returnedVal = ODText(control.Id & ".supertip", ODLang())
End Sub

' "en" when the active workbook's defined name OrderDesk_Lang says so, else "zh".
Public Function ODLang() As String
    Dim setting As Variant
    ODLang = "zh"
    On Error GoTo Done
    If ActiveWorkbook Is Nothing Then Exit Function
    setting = Application.Evaluate(ActiveWorkbook.Names("OrderDesk_Lang").RefersTo)
    If LCase$(Left$(CStr(setting), 2)) = "en" Then ODLang = "en"
Done:
End Function
