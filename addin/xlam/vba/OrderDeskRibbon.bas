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
    ' At Excel's start (and at each click, OrderDeskAction): xlwings of another version.
    If Not ODXlwingsFound() Then
        MsgBox ODText("msg.xlwings_mismatch", ODLang()), vbExclamation, "OrderDesk"
    End If
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
    If Not ODXlwingsFound() Then
        MsgBox ODText("msg.xlwings_mismatch", ODLang()), vbExclamation, "OrderDesk"
        Exit Sub
    End If
    ' ODButtonCommand (generated, ODEntry): sys.path without the workbook's folder, then
    ' addin.ribbon.run(id, the xlwings version this add-in was built with).
    RunPython ODButtonCommand(control.Id)
End Sub

' Windows: the DLL of the xlwings version this add-in was built with must be beside the
' configured Python (or its parent, a virtualenv), where xlwings' VBA loads it from; after an
' upgrade of xlwings it is gone and every button would fail with xlwings' own error. A bare
' interpreter name (found on PATH) is not checked. Python checks the version again.
Private Function ODXlwingsFound() As Boolean
    ODXlwingsFound = True
#If Not Mac Then
    Dim interpreter As String, dll As String
    interpreter = GetConfig("INTERPRETER_WIN", "")
    If InStr(interpreter, "\") = 0 Then Exit Function
#If Win64 Then
    dll = "xlwings64-" & XLWINGS_VERSION & ".dll"
#Else
    dll = "xlwings32-" & XLWINGS_VERSION & ".dll"
#End If
    On Error Resume Next
    ODXlwingsFound = Len(Dir(ParentFolder(interpreter) & "\" & dll)) > 0 _
        Or Len(Dir(ParentFolder(ParentFolder(interpreter)) & "\" & dll)) > 0
#End If
End Function

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
