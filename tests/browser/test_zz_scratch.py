def test_dump(signed_in_page):
    page = signed_in_page
    page.goto("/incidents/new/")
    open("/tmp/new.html", "w").write(page.content())
    page.goto("/incidents/")
    open("/tmp/list.html", "w").write(page.content())
