def test_home_page_is_polish_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="pl">' in html
    assert "Miejsce Aktywności Mieszkańców" in html
