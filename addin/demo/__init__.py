"""``orderdesk demo``: a demo master workbook taken through the procedure (:mod:`.run`), its
catalogue and orders (:mod:`.data`), a year of history (:mod:`.history`), every lifecycle path
(:mod:`.paths`) and the mail sent through a loopback server (:mod:`.mail`)."""
